"""Reading documents: milliseconds per PDF page (median over the real PDF's pages), and per Word and
Excel file.  The target (issue 10): ≤ 60 ms per PDF page on these machines.

    python benchmarks/bench_documents.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pypdfium2

from govspec.extract import extract_file
from govspec.extract import pdf as pdf_reader

DOCS = Path(__file__).resolve().parent.parent / "tests" / "documents"


def pdf_pages(path: Path, runs: int) -> list[float]:
    """Milliseconds for each page (characters, ruling lines, grid), the best of ``runs`` per page."""
    raw = path.read_bytes()
    document = pypdfium2.PdfDocument(raw)
    times = []
    for number in range(len(document)):
        best = float("inf")
        for _ in range(runs):
            page = document[number]
            started = time.perf_counter()
            pdf_reader._page(page, number + 1, 0)
            best = min(best, time.perf_counter() - started)
            page.close()
        times.append(best * 1000)
    document.close()
    return times


def whole(path: Path, runs: int) -> float:
    """Milliseconds to extract a whole file (read, grid, placement), the best of ``runs``."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        extract_file(path)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name in ("huaian-city-2024.pdf", "made-huaian-city-2024.pdf"):
        pages = pdf_pages(DOCS / name, args.runs)
        print(f"{name:<32} {len(pages)} pages: median {statistics.median(pages):.1f} ms/page "
              f"(max {max(pages):.1f}); target ≤ 60")
    for name in ("huaian-city-2024.pdf", "made-huaian-city-2024.docx", "made-huaian-city-2024.doc", "made-huaian-city-2024.xlsx",
                 "made-huaian-city-2024.xls"):
        print(f"{name:<32} whole file extracted in {whole(DOCS / name, args.runs):.1f} ms")


if __name__ == "__main__":
    main()
