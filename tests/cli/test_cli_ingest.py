"""``tansiq ingest article``: files and URLs in, JSON Lines out, the review queue fed."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from tansiq.cli import main
from tansiq.config import load_settings
from tansiq.services.core.context import open_context
from tansiq.storage.tables.journal import journal
from tests.factories import build_world

ARTICLES = Path(__file__).parents[1] / "data" / "articles"
KHANAQIN = ARTICLES / "en01_khanaqin_attack.html"
TARMIYAH = ARTICLES / "ar05_tarmiyah_ied.txt"
SIDAKAN = ARTICLES / "en02_sidakan_drone.txt"


class Node:
    """A node with the test world, and a way to run ``tansiq`` against it."""

    def __init__(self, tmp_path: Path) -> None:
        self.options = ["--db", f"sqlite:///{tmp_path / 'tansiq.db'}",
                        "--key-file", str(tmp_path / "keys" / "node.key")]
        assert self.run("init").exit_code == 0
        settings = load_settings(database_url=self.options[1], key_file=self.options[3])
        self.ctx = open_context(settings)
        build_world(self.ctx)

    def run(self, *args: str) -> Result:
        return CliRunner().invoke(main, [*args, *self.options], catch_exceptions=False)

    def journal_length(self) -> int:
        with self.ctx.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(journal)).scalar_one())


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    node = Node(tmp_path_factory.mktemp("ingest"))
    yield node
    node.ctx.engine.dispose()


def _lines(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in result.output.splitlines()]


def test_json_dry_run_prints_the_article_and_its_candidates(node: Node) -> None:
    before = node.journal_length()
    [answer] = _lines(node.run("ingest", "article", str(KHANAQIN), "--as", "fed_analyst",
                               "--json", "--dry-run"))
    assert set(answer) == {"article", "candidates"}
    assert set(answer["article"]) == {"title", "published_at", "outlet", "body"}
    first = answer["candidates"][0]
    assert {"kind", "event_type", "sub_event_type", "occurred_from", "occurred_until",
            "time_precision", "admin1", "admin2", "place_name", "geo_precision", "location",
            "actors", "fatalities", "injured", "evidence", "confidence"} <= set(first)
    assert (first["sub_event_type"], first["admin1"], first["fatalities"]) == (
        "Armed clash", "Diyala", 2)
    assert node.journal_length() == before  # nothing stored


def test_several_files_are_json_lines_in_the_order_given(node: Node) -> None:
    answers = _lines(node.run("ingest", "article", str(TARMIYAH), str(KHANAQIN), str(SIDAKAN),
                              "--as", "fed_analyst", "--json", "--dry-run"))
    titles = [a["article"]["title"] for a in answers]
    assert titles == ["مقتل جندي وإصابة اثنين بانفجار عبوة ناسفة في الطارمية",
                      "ISIS attack kills two soldiers in Diyala",
                      "Turkish drone strike kills two in Sidakan"]


def test_published_supplies_the_date_a_text_lacks(node: Node, tmp_path: Path) -> None:
    text = tmp_path / "pasted.txt"
    text.write_text("A roadside bomb killed two soldiers in Tarmiyah yesterday, Wednesday.\n")
    [answer] = _lines(node.run("ingest", "article", str(text), "--as", "fed_analyst", "--json",
                               "--dry-run", "--published", "2020-02-20"))
    assert answer["article"]["published_at"] == "2020-02-20T00:00:00+03:00"
    assert answer["candidates"][0]["occurred_from"] == "2020-02-19T00:00:00+03:00"


def test_without_json_a_summary_line_per_candidate(node: Node) -> None:
    result = node.run("ingest", "article", str(KHANAQIN), "--as", "fed_analyst", "--dry-run")
    assert result.exit_code == 0
    assert "incident: Armed clash | 2020-02-19 (day) | Qara Tapa, Diyala" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.html"], "nope.html: No such file or directory"),
        (["--published", "soon"], "--published: not a date: 'soon'"),
        (["http://127.0.0.1:9/none"], "http://127.0.0.1:9/none:"),
    ],
)
def test_bad_input_is_one_line_and_prints_nothing_else(node: Node, args: list[str],
                                                        message: str) -> None:
    files = [a for a in args if not a.startswith("--") and a != "soon"] or [str(KHANAQIN)]
    options = [a for a in args if a.startswith("--") or a == "soon"]
    result = node.run("ingest", "article", str(KHANAQIN), *files, *options, "--as",
                      "fed_analyst", "--json", "--dry-run")
    assert result.exit_code != 0
    assert result.output.count("\n") == 1 and message in result.output


def test_an_unknown_user_is_refused(node: Node) -> None:
    result = node.run("ingest", "article", str(KHANAQIN), "--as", "nobody", "--dry-run")
    assert result.exit_code != 0 and "no user named nobody" in result.output


def test_without_dry_run_the_candidates_are_queued_once(node: Node) -> None:
    before = node.journal_length()
    result = node.run("ingest", "article", str(SIDAKAN), "--as", "krg_analyst")
    assert result.exit_code == 0, result.output
    assert "1 candidate(s) queued for review from article" in result.output
    queued = node.journal_length()
    assert queued == before + 2  # the article and its one candidate
    again = node.run("ingest", "article", str(SIDAKAN), "--as", "krg_analyst", "--json")
    assert again.exit_code == 0
    assert orjson.loads(again.stdout.splitlines()[0])["candidates"][0]["admin1"] == "Erbil"
    assert "already ingested (same content_hash)" in again.stderr
    assert node.journal_length() == queued


def test_a_role_that_may_not_submit_stores_nothing(node: Node) -> None:
    before = node.journal_length()
    result = node.run("ingest", "article", str(TARMIYAH), "--as", "fed_observer")
    assert result.exit_code != 0 and "may not submit articles" in result.output
    assert result.output.count("\n") == 1
    assert node.journal_length() == before


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the handler's name is http.server's
        if self.path == "/khanaqin":
            body = KHANAQIN.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_url_is_fetched_and_read(node: Node, server: str) -> None:
    [answer] = _lines(node.run("ingest", "article", f"{server}/khanaqin", "--as", "fed_analyst",
                               "--json", "--dry-run"))
    assert answer["article"]["outlet"] == "Shafaq News"
    assert answer["candidates"][0]["admin1"] == "Diyala"


def test_a_url_that_answers_an_error_is_refused(node: Node, server: str) -> None:
    result = node.run("ingest", "article", f"{server}/missing", "--as", "fed_analyst",
                      "--json", "--dry-run")
    assert result.exit_code != 0 and result.output.strip().endswith("HTTP 404")
