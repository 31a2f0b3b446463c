"""Reading the pictures' data files (``timeline.yml``, ``charts.yml``): a YAML list of
mappings, each field's line kept so every message names the file and line to fix, as the
key figures' file does (``briefing.key_figures.figures``). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from briefing.key_figures.figures import ID_RE, FiguresFileError, Problem, compose

__all__ = ["ID_RE", "FiguresFileError", "Problem", "Record", "load_records"]


@dataclass
class Record:
    """One mapping of the file: its fields' text (or, for a nested list, its records)."""

    values: dict[str, object]
    line: int  # line of the entry
    lines: dict[str, int] = field(default_factory=dict)  # field -> line of its value


@dataclass(frozen=True)
class Schema:
    what: str  # "event", "chart", "bar": how messages name one
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    lists: dict[str, Schema] = field(default_factory=dict)  # field -> the schema of its list's records

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + self.optional + tuple(self.lists)


def load_records(text: str, where: str, schema: Schema) -> tuple[list[Record], list[Problem]]:
    """The valid records of a YAML list and one problem per mistake (unknown, missing, empty,
    repeated or non-text field; a bad id; a duplicate id); FiguresFileError for a file that is
    not YAML or not a list. A record with a problem is left out."""
    root = compose(text)
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        raise FiguresFileError(f"the file must be a YAML list, each item '- id: ...' an {schema.what}",
                               root.start_mark.line + 1)
    records, problems = _records(root, where, schema)
    seen: dict[str, int] = {}
    kept = []
    for record in records:
        record_id = str(record.values.get("id", ""))
        if record_id in seen:
            problems.append(Problem(where, record.lines["id"], f"duplicate {schema.what} id {record_id!r} (first "
                                    f"defined at {where}:{seen[record_id]}); each {schema.what} is defined once",
                                    record_id))
            continue
        if record_id:
            seen[record_id] = record.lines["id"]
        kept.append(record)
    return kept, problems


def _records(node: yaml.SequenceNode, where: str, schema: Schema) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(where, line, f"each {schema.what} must be a mapping of "
                                                 f"{', '.join(schema.required)}"))
            continue
        record = Record({}, line)
        own: list[Problem] = []
        for key_node, value_node in item.value:
            key, key_line = str(key_node.value), key_node.start_mark.line + 1
            if key not in schema.fields:
                own.append(Problem(where, key_line, f"unknown field {key!r}; an {schema.what} has "
                                   f"{', '.join(schema.required)}" + (f" (and may have {', '.join(schema.optional)})"
                                                                       if schema.optional else "")))
            elif key in record.values:
                own.append(Problem(where, key_line, f"field {key!r} given twice"))
            elif key in schema.lists:
                if not isinstance(value_node, yaml.SequenceNode) or not value_node.value:
                    own.append(Problem(where, key_line, f"field {key!r} must be a list of "
                                                        f"{schema.lists[key].what}s"))
                    continue
                nested, nested_problems = _records(value_node, where, schema.lists[key])
                own.extend(nested_problems)
                record.values[key], record.lines[key] = nested, value_node.start_mark.line + 1
            elif not isinstance(value_node, yaml.ScalarNode):
                own.append(Problem(where, key_line, f"field {key!r} must be plain text"))
            else:
                record.values[key] = " ".join(str(value_node.value).split())
                record.lines[key] = value_node.start_mark.line + 1
        record_id = str(record.values.get("id", ""))
        label = f"{schema.what} {record_id!r}" if record_id else f"an {schema.what}"
        for key in (*schema.required, *schema.optional):
            given = key in record.values
            if (key in schema.required or given) and not record.values.get(key) \
                    and not any(p.message.startswith(f"field {key!r}") for p in own):
                own.append(Problem(where, record.lines.get(key, line), f"{label} is missing field {key!r} "
                                                                        "(or it is empty)"))
        if record_id and "id" in schema.required and not ID_RE.match(record_id):
            own.append(Problem(where, record.lines["id"],
                               f"id {record_id!r}: use lower-case letters, digits and single hyphens"))
        problems.extend(Problem(p.where, p.line, p.message, record_id or p.figure) for p in own)
        if not own:
            records.append(record)
    return records, problems
