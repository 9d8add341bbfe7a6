"""Reading news articles into proposed events: pure, offline, nothing downloaded.

Nothing here imports storage, services or a front end (a contract in pyproject.toml
keeps it so): the same code runs in the CLI, the API, the web upload and the benches.
:func:`read_article` is the entry point; ``article.py`` reads the page, ``extract.py``
proposes the candidates from ``dates.py``, ``places.py``, ``actors.py``,
``casualties.py`` and ``cues.py``, each sentence typed by its cues and the event
classifier (``classify.py``) together in ``sentence_types.py``.
"""

from tansiq.ingest.reading.reader import Reading, read_article

__all__ = ["Reading", "read_article"]
