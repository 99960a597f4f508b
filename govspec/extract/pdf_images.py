"""The images a PDF page draws: one covering most of the page makes it a scanned page; one lying inside a table's cell
that prints no text is a picture of what the cell shows (a number drawn as an image, a snippet pasted in), which is
not read — and which is no blank."""

from __future__ import annotations

SCANNED = 0.5        # an image covering this share of a page makes it a scanned page
MAX_PICTURES = 1_000  # images of a page weighed against its empty cells (a report's page draws a few)


def page_images(page) -> tuple[bool, list[tuple[float, float, float, float]]]:
    """Whether an image covers most of the page (a scanned page, whose invisible text, if it has any, was recognised
    from the image by OCR), and the boxes of its first :data:`MAX_PICTURES` images."""
    import pypdfium2.raw as pdfium_c  # as the reader of PDF files imports it (govspec.extract.pdf)

    area = page.get_width() * page.get_height()
    scanned = False
    boxes: list[tuple[float, float, float, float]] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = box = obj.get_bounds()
        scanned = scanned or (right - left) * (top - bottom) >= SCANNED * area
        if len(boxes) < MAX_PICTURES:
            boxes.append(box)
    return scanned, boxes


def pictured(cell: tuple, boxes: list) -> bool:
    """Whether a cell (left, bottom, right, top) shows a picture: an image most of which, by area, lies inside it — not
    a stamp or a background spreading over many cells."""
    for left, bottom, right, top in boxes:
        area = (right - left) * (top - bottom)
        inside = max(0.0, min(right, cell[2]) - max(left, cell[0])) * max(0.0, min(top, cell[3]) - max(bottom, cell[1]))
        if area > 0 and inside >= 0.5 * area:
            return True
    return False
