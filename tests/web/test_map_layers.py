"""The common operating picture's data: towns, the other layers for a period, incidents.

Every layer reads through services with ``visible_to``: a record released only to its
own party never reaches another party's map. Runs on both databases (``ctx``).
"""

from __future__ import annotations

from typing import Any

from tansiq.services.core.context import ServiceContext
from tansiq.services.incidents.assessment_commands import assess_incident
from tansiq.services.incidents.commands import create_incident
from tansiq.services.notices.commands import send_notice
from tansiq.services.operations.commands import create_operation, propose_operation
from tansiq.services.sectors.commands import create_sector
from tansiq.services.sectors.site_commands import create_site
from tests.factories import World, incident_data
from tests.factories_notices import contest_data, notice_data
from tests.factories_operations import operation_data
from tests.factories_sectors import checkpoint_data, sector_data, site_data
from tests.web.conftest import LoginAs

FEBRUARY = "since=2020-02-01&until=2020-02-29"


def _ids(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/geo+json"
    return [f["id"] for f in answer.json()["features"]]


def test_towns_are_named_in_the_page_language(world: World, login_as: LoginAs) -> None:
    client = login_as("fed_liaison")
    english = client.get("/map/towns.geojson").json()["features"]
    by_name = {f["properties"]["name_en"]: f["properties"] for f in english}
    assert by_name["Kirkuk"]["name"] == "Kirkuk"
    # Biggest first: the map labels big places at low zoom and finds them at the front.
    sizes = [f["properties"]["population"] for f in english]
    ranks = [f["properties"]["rank"] for f in english]
    assert ranks == sorted(ranks, reverse=True) and min(sizes) > 0
    # A seat outranks a bigger city quarter: Mosul before "Al Mawşil al Jadīdah".
    names = [f["properties"]["name_en"] for f in english]
    assert names.index("Mosul") < names.index("Al Mawşil al Jadīdah")
    client.cookies.set("tansiq_lang", "ar")
    arabic = {
        f["properties"]["name_en"]: f for f in client.get("/map/towns.geojson").json()["features"]
    }
    assert arabic["Kirkuk"]["properties"]["name"] == "كركوك"
    client.cookies.set("tansiq_lang", "ckb")
    kurdish = {
        f["properties"]["name_en"]: f for f in client.get("/map/towns.geojson").json()["features"]
    }
    assert kurdish["Erbil"]["properties"]["name"] == "هەولێر"
    assert kurdish["Kirkuk"]["geometry"] == arabic["Kirkuk"]["geometry"]


def test_district_boundaries_carry_names_and_label_points(world: World, login_as: LoginAs) -> None:
    districts = login_as("krg_liaison").get("/map/boundaries/2.geojson").json()["features"]
    assert len(districts) == 101
    props = next(f["properties"] for f in districts if f["properties"]["name_en"] == "Kirkuk")
    assert props["name_ar"] == "كركوك" and props["admin1"] == "Kirkuk"
    lon, lat = props["label"]
    assert 43.5 < lon < 45 and 34.5 < lat < 36


def test_each_layer_shows_only_what_is_released_to_the_user(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    fed, krg = world.actors["fed_liaison"], world.actors["krg_liaison"]
    shared = create_sector(ctx, actor=fed, data=sector_data())
    hidden = create_sector(ctx, actor=fed, data=checkpoint_data(releasability="party"))
    site = create_site(ctx, actor=fed, data=site_data())
    secret_site = create_site(ctx, actor=fed, data=site_data(name="Depot", releasability="party"))
    notice = send_notice(ctx, actor=fed, data=notice_data())
    plan = create_operation(ctx, actor=fed, data=operation_data(starts_at="2020-02-25T06:00:00Z"))
    propose_operation(ctx, actor=fed, operation_id=plan["id"])
    draft = create_operation(ctx, actor=fed, data=operation_data(title="Still a draft"))

    own = login_as("fed_liaison")
    assert set(_ids(own.get(f"/map/layers/sectors.geojson?{FEBRUARY}"))) == {
        shared["id"],
        hidden["id"],
    }
    other = login_as("krg_liaison")
    sectors = other.get(f"/map/layers/sectors.geojson?{FEBRUARY}").json()
    assert [f["id"] for f in sectors["features"]] == [shared["id"]]
    props = sectors["features"][0]["properties"]
    assert props["party_label"] and props["colour"].startswith("#")
    assert props["href"] == f"/sectors/{shared['id']}" and props["valid_from_label"]
    assert _ids(other.get(f"/map/layers/sites.geojson?{FEBRUARY}")) == [site["id"]]
    assert secret_site["id"] in _ids(own.get(f"/map/layers/sites.geojson?{FEBRUARY}"))
    assert _ids(other.get(f"/map/layers/notices.geojson?{FEBRUARY}")) == [notice["id"]]
    # A draft is nobody's plan yet: only the proposed one is drawn.
    operations = _ids(other.get(f"/map/layers/operations.geojson?{FEBRUARY}"))
    assert operations == [plan["id"]] and draft["id"] not in operations
    # Outside the period nothing is in force.
    assert _ids(other.get("/map/layers/sectors.geojson?since=2021-01-01&until=2021-01-31")) == []
    assert _ids(other.get("/map/layers/notices.geojson?since=2021-01-01&until=2021-01-31")) == []
    # Without dates the layers show what is in force now (the test clock: 20 Feb 2020).
    assert _ids(other.get("/map/layers/sectors.geojson")) == [shared["id"]]
    assert _ids(other.get("/map/layers/operations.geojson")) == []
    assert krg.party == "krg"


def test_coverage_gaps_are_the_uncovered_parts_of_the_area(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    create_sector(ctx, actor=world.actors["fed_liaison"], data=sector_data(releasability="party"))
    client = login_as("krg_liaison")
    answer = client.get(f"/map/layers/gaps.geojson?{FEBRUARY}&admin1=Kirkuk").json()
    assert answer["area"] and answer["features"]
    # The fed sector is not released to krg: Kirkuk is one whole gap on krg's map.
    assert all(f["properties"]["layer"] == "gaps" for f in answer["features"])
    assert answer["area"] == "Kirkuk" and answer["features"][0]["properties"]["name"] == "Kirkuk"
    total = sum(f["properties"]["area_km2"] for f in answer["features"])
    fed = login_as("fed_liaison").get(f"/map/layers/gaps.geojson?{FEBRUARY}&admin1=Kirkuk")
    assert sum(f["properties"]["area_km2"] for f in fed.json()["features"]) < total


def test_bad_layer_requests_are_refused_and_change_nothing(
    world: World, login_as: LoginAs, client: Any
) -> None:
    user = login_as("fed_liaison")
    unknown = user.get("/map/layers/secrets.geojson")
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "layer"
    bad = user.get("/map/layers/sectors.geojson?since=yesterday")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "since"
    backwards = user.get("/map/layers/sites.geojson?since=2020-03-01&until=2020-02-01")
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "until"
    for url in ("/map/towns.geojson", "/map/layers/sectors.geojson"):
        assert client.get(url).status_code == 401


def test_incident_features_say_party_status_and_precision(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    fed = world.actors["fed_liaison"]
    shared = create_incident(ctx, actor=fed, data=incident_data(geo_precision=2))
    hidden = create_incident(ctx, actor=fed, data=incident_data(releasability="party"))
    client = login_as("krg_liaison")
    client.cookies.set("tansiq_lang", "ar")
    features = client.get("/map/incidents.geojson").json()["features"]
    assert [f["id"] for f in features] == [shared["id"]]
    props = features[0]["properties"]
    assert props["time_precision"] == "day" and props["geo_precision"] == 2
    assert props["geo_precision_label"].startswith("2 –")
    assert props["party_label"] and props["status_label"] and props["colour"].startswith("#")
    assert hidden["id"] not in [f["id"] for f in features]
    page = client.get("/map").text
    assert 'data-districts-url="/map/boundaries/2.geojson"' in page
    assert 'data-towns-url="/map/towns.geojson"' in page
    assert 'name="layer" value="sectors" checked' in page
    assert 'name="layer" value="gaps">' in page
    assert "/static/vendor/leaflet.markercluster.js" in page


def test_an_open_dispute_shows_as_disputed_on_the_map(
    ctx: ServiceContext, world: World, login_as: LoginAs
) -> None:
    contested = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    calm = create_incident(ctx, actor=world.actors["fed_liaison"], data=incident_data())
    assess_incident(
        ctx, actor=world.actors["krg_liaison"], incident_id=contested["id"], data=contest_data()
    )
    features = login_as("fed_liaison").get("/map/incidents.geojson").json()["features"]
    shown = {f["id"]: f["properties"] for f in features}
    # The stored status is still "submitted"; the open contest outranks it on the map.
    assert shown[contested["id"]]["status"] == "submitted"
    assert shown[contested["id"]]["disputed"] is True
    assert shown[contested["id"]]["status_label"] == "Disputed"
    assert shown[calm["id"]]["disputed"] is False
    assert shown[calm["id"]]["status_label"] == "Submitted"
