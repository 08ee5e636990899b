"""Chinese-aware full-text search on Wagtail's database backends.

PostgreSQL's and SQLite's tokenisers treat a run of Chinese characters as a single word, so a
search for 手機 would never find 長輩手機入門. Like Elasticsearch's CJK analyser, we index each
run of CJK characters as its single characters and overlapping bigrams (長輩 輩手 手機 機入 入門)
and turn the citizen's query into bigrams the same way. Other scripts pass through unchanged.
"""

import re

# CJK Unified Ideographs (+ extension A), compatibility ideographs, kana and hangul syllables.
CJK_TEXT = _CJK_RUN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+"
)


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_index_text(text: str) -> str:
    """Text for the search index: every CJK character and every CJK bigram as a word."""
    pieces: list[str] = []
    position = 0
    for match in _CJK_RUN.finditer(text):
        pieces.append(text[position : match.start()])
        run = match.group()
        pieces.extend(run)
        pieces.extend(_bigrams(run))
        position = match.end()
    pieces.append(text[position:])
    return " ".join(piece.strip() for piece in pieces if piece.strip())


def cjk_query_text(query: str) -> str:
    """A citizen's query in index words: a CJK run becomes its bigrams (one character stays)."""
    pieces: list[str] = []
    position = 0
    for match in _CJK_RUN.finditer(query):
        pieces.append(query[position : match.start()])
        run = match.group()
        pieces.extend(_bigrams(run) if len(run) > 1 else [run])
        position = match.end()
    pieces.append(query[position:])
    return " ".join(piece.strip() for piece in pieces if piece.strip())
