-- CSL variables that pandoc's biblatex reader does not map, added before citeproc runs.
--
-- citations.py puts them in the document's metadata as `briefing-csl-extras`, a mapping of
-- citation key -> CSL variable -> text (computed by _chicago.csl_extras from the .bib:
-- a periodical's column or department as `section`, a report's full date as `issued`).
-- pandoc still reads the whole library from the .bib files; this filter only overrides the
-- entries that have extras, through `references` (which pandoc's citeproc prefers to the
-- entries of the bibliography files). It runs before `--citeproc` on the command line.

function Pandoc(doc)
  local extras = doc.meta['briefing-csl-extras']
  if extras == nil then
    return nil
  end
  local patched = pandoc.List()
  for _, ref in ipairs(pandoc.utils.references(doc)) do
    local more = extras[ref.id]
    if more ~= nil then
      for name, value in pairs(more) do
        local text = pandoc.utils.stringify(value)
        if name == 'issued' then
          ref.issued = {literal = text}
        else
          ref[name] = text
        end
      end
      patched:insert(ref)
    end
  end
  doc.meta.references = patched
  doc.meta['briefing-csl-extras'] = nil
  return doc
end
