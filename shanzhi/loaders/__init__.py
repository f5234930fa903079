"""Loaders: a dataset folder of records (docs/records.md) → a validated ``Dataset``.

``load_dataset(path)`` reads CSV (UTF-8, UTF-8 with BOM or GB18030, detected), ``.xlsx`` and
``.xls`` workbooks' sheets or JSON Lines, with English or Chinese headers, plus the street
office's own ledgers through their YAML mappings (``mapping.py``, docs/mappings.md). Every
problem of the dataset is reported at once as ``FILE:LINE: column: what is wrong`` in a
``DataError``; nothing is returned when anything is wrong. ``read_dataset`` returns the problems
instead of raising; ``read_report`` also returns the notes on what was left out on purpose (for
``shanzhi validate``).

Modules: ``readers`` (files → rows), ``workbooks`` / ``sheets`` (workbooks → rows, bounded),
``headers`` (column names), ``values`` (cell parsing), ``phones`` (phone numbers),
``records`` (rows → nodes and the relations their columns give), ``relation_rows`` (the
relations table), ``table`` (one table being read: cells, problems), ``construct`` (records
from checked values, fast), ``checks`` (cross-record rules), ``folder`` (which file is which
table), ``mapping_spec`` (a ledger mapping as written), ``templates`` (its ``{column}``
templates), ``mapping`` (compiled and checked), ``ledgers`` (applying mappings), ``load`` (the
order).
"""

from shanzhi.loaders.load import (
    DatasetReport,
    load_dataset,
    read_dataset,
    read_report,
    report_json,
)

__all__ = ["DatasetReport", "load_dataset", "read_dataset", "read_report", "report_json"]
