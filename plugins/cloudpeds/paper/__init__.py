"""Print editions: pocket, full manual, wall charts and parent handouts as PDF (WeasyPrint)."""
