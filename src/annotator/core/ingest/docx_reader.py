"""DOCX (witness statements): paragraphs as rows, page breaks respected."""

import io

from annotator.core.util.errors import AnnotatorError
from annotator.core.ingest.rows import Row

PARAS_PER_PAGE = 40


def read(data: bytes) -> list[list[Row]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as err:
        raise AnnotatorError(f"damaged DOCX ({type(err).__name__})") from err
    pages: list[list[Row]] = [[]]
    for para in document.paragraphs:
        breaks = para._p.xml.count('w:type="page"') + para._p.xml.count("lastRenderedPageBreak")
        if breaks and pages[-1]:
            pages.append([])
        pages[-1].append(Row(para.text))
        if len(pages[-1]) >= PARAS_PER_PAGE:
            pages.append([])
    for table in document.tables:
        for row in table.rows:
            pages[-1].append(Row(" | ".join(c.text for c in row.cells)))
    return [p for p in pages if p] or [[Row("")]]
