"""Report writing: Markdown with PNG plots, or one self-contained HTML file.

Every file goes through :mod:`forecast._io` (atomic writes).
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from forecast._io import atomic_path, atomic_write_text

__all__ = ["Section", "save_figure", "write_report", "format_table", "markdown_table",
           "time_label"]


@dataclass
class Section:
    """One part of a report: a title, paragraphs, tables and figure files."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    figures: list[tuple[str, Path]] = field(default_factory=list)


def time_label(value: object) -> str:
    """A time label for text: dates without a midnight time part.

    Examples
    --------
    >>> time_label(pd.Timestamp("2020-01-31")), time_label(pd.Timestamp("2020-01-31 06:00"))
    ('2020-01-31', '2020-01-31 06:00:00')
    """
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return str(value.date())
    return str(value)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.3f}" if abs(value) < 1e5 else f"{value:.3g}"
    return str(value)


def _rows(frame: pd.DataFrame) -> list[list[str]]:
    """Index and cells as text; each column keeps its own type (counts print as ints)."""
    values = frame.astype(object).to_numpy()
    return [[str(i), *(_cell(v) for v in row)] for i, row in zip(frame.index, values, strict=True)]


def format_table(frame: pd.DataFrame) -> str:
    """Plain-text table (for the terminal) with right-aligned numbers.

    Examples
    --------
    >>> print(format_table(pd.DataFrame({"sMAPE": [1.0]}, index=["Naive"])))
    model  sMAPE
    -----  -----
    Naive  1.000
    """
    header = [frame.index.name or "model", *map(str, frame.columns)]
    rows = _rows(frame)
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def markdown_table(frame: pd.DataFrame) -> str:
    """GitHub-flavoured Markdown table of ``frame`` (index as first column)."""
    header = [frame.index.name or "model", *map(str, frame.columns)]
    rows = _rows(frame)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1))
           + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def save_figure(fig: Any, path: Path) -> Path:
    """Save a matplotlib figure as PNG atomically and close it."""
    import matplotlib.pyplot as plt

    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def _markdown(title: str, intro: list[str], sections: list[Section], out_dir: Path) -> str:
    parts = [f"# {title}", "", *[p + "\n" for p in intro]]
    for sec in sections:
        parts += [f"## {sec.title}", ""]
        parts += [p + "\n" for p in sec.paragraphs]
        for caption, table in sec.tables:
            parts += [f"**{caption}**", "", markdown_table(table), ""]
        for caption, path in sec.figures:
            parts += [f"![{caption}]({path.relative_to(out_dir).as_posix()})", ""]
    return "\n".join(parts)


def _html(title: str, intro: list[str], sections: list[Section]) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{esc(title)}</title><style>body{{font-family:sans-serif;max-width:1000px;"
        "margin:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:2px 8px;text-align:right}td:first-child{text-align:left}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        *[f"<p>{esc(p)}</p>" for p in intro],
    ]
    for sec in sections:
        parts.append(f"<h2>{esc(sec.title)}</h2>")
        parts += [f"<p>{esc(p)}</p>" for p in sec.paragraphs]
        for caption, table in sec.tables:
            head = "".join(f"<th>{esc(str(c))}</th>" for c in
                           [table.index.name or "model", *table.columns])
            body = "".join(
                "<tr>" + "".join(f"<td>{esc(_cell(v))}</td>" for v in [i, *row]) + "</tr>"
                for i, row in zip(table.index, table.to_numpy(), strict=True)
            )
            parts.append(f"<p><b>{esc(caption)}</b></p><table><tr>{head}</tr>{body}</table>")
        for caption, path in sec.figures:
            data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
            parts.append(f"<figure><img alt='{esc(caption)}' src='data:image/png;base64,{data}'>"
                         f"<figcaption>{esc(caption)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(
    out_dir: Path, title: str, intro: list[str], sections: list[Section], *, fmt: str = "markdown"
) -> Path:
    """Write ``report.md`` (figures beside it) or a self-contained ``report.html``.

    Returns
    -------
    pathlib.Path
        The report file.
    """
    out_dir = Path(out_dir)
    if fmt == "html":
        return atomic_write_text(out_dir / "report.html", _html(title, intro, sections))
    return atomic_write_text(out_dir / "report.md", _markdown(title, intro, sections, out_dir))
