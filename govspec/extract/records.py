"""``govspec extract``'s JSON read back for the validator: the record of one report (``--out``) or of several.

Each record's ``instance`` is an ordinary instance — its cells, the cells the source did not show (``unseen``), a
known variant's printed values — and is validated as it stands, so an auditor can extract a report, review or
correct its values, and validate the file; what the extraction said (values left out, tables cut short, a variant
printed) comes with it, as when the published file itself is validated.  A record of a file extraction could not
read is that file's error.
"""

from __future__ import annotations

from govspec.errors import GovspecError, InstanceError
from govspec.extract.extraction import Extraction
from govspec.io.instance import Instance, Unreadable, check_document
from govspec.io.kinds import EXTRACT_RECORD, EXTRACT_RECORD_VERSION


def record_instances(path: str, data: dict) -> list[Instance | Unreadable]:
    """The reports of ``govspec extract``'s JSON ``data`` read from ``path``: one per record, each named ``path`` (one
    record) or ``path:N`` (the N-th of several)."""
    records = data.get("reports", [data]) if "reports" in data else [data]
    found = data.get(EXTRACT_RECORD)
    if found != EXTRACT_RECORD_VERSION or not isinstance(records, list) or not records:
        raise InstanceError(f"not a record of govspec extract this version reads ({EXTRACT_RECORD!r} is {found!r})",
                            zh=f"不是本版本可读取的 govspec extract 记录（{EXTRACT_RECORD!r} 为 {found!r}）", source=path)
    out: list[Instance | Unreadable] = []
    for number, record in enumerate(records, 1):
        source = path if len(records) == 1 else f"{path}:{number}"
        try:
            out.append(_instance(source, record))
        except GovspecError as error:
            out.append(Unreadable(source, error))
    return out


def _instance(source: str, record) -> Instance:
    if not isinstance(record, dict):
        raise InstanceError("a record of govspec extract is a JSON object", zh="govspec extract 的记录应为 JSON 对象",
                            source=source)
    instance = record.get("instance")
    if instance is None:
        error = record.get("error")
        raise InstanceError(f"govspec extract could not read {record.get('source')}: {error}",
                            zh=f"govspec extract 未能读取 {record.get('source')}：{error}", source=source)
    check_document(instance, source)
    return Instance(source, instance, _said(source, record, instance))


def _said(source: str, record: dict, instance: dict) -> tuple:
    """What the extraction said of the report, as findings (as :func:`govspec.extract.findings` says it of the file
    read), from the record; nothing when the record does not say it in the shape extraction writes it."""
    from govspec.extract import findings
    from govspec.spec import loader
    try:
        spec_id, _, version = str(record.get("template") or "").partition("@")
        spec = loader.load(spec_id, version).spec
        provenance = record.get("provenance") or {}
        read = Extraction(str(record.get("source") or source), spec,
                          provenance={k: v for k, v in provenance.items() if not k.startswith(("variants.", "report."))},
                          left_out=list(record.get("left_out") or ()), incomplete=list(record.get("incomplete") or ()),
                          variants=dict(instance.get("variants") or {}),
                          variant_provenance={k.removeprefix("variants."): v for k, v in provenance.items()
                                              if k.startswith("variants.")})
        return findings(read)
    except (GovspecError, LookupError, TypeError, ValueError, AttributeError):
        return ()  # a record edited by hand past its shape: the instance is still validated, as written
