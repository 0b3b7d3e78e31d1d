"""Contributing: workflows, issue forms, issue-to-case, the case scaffold and the link checker.

Nothing here uses the network: the workflow and form schemas are the copies vendored
by check-jsonschema, zizmor runs with --offline, and the link checker talks to a
server on 127.0.0.1 started by the test.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, make_project
from regiot import issueform, scaffold
from regiot.cases import load_case_file, load_cases, load_schema
from regiot.vocab import load_vocab

TODAY = dt.date(2026, 11, 26)
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FORMS = sorted(p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
SHA_PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+\.\d+\.\d+\s*$")


@pytest.fixture(scope="module")
def vocab():
    return load_vocab(ROOT / "vocab", ROOT)


def run(*args: str, cwd: Path = ROOT, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})), input=stdin)


def tool(name: str) -> str:
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    assert found, f"{name} is not installed; it is pinned in requirements/test.txt (run: make setup)"
    return found


# --- GitHub workflows ------------------------------------------------------------------------

def test_workflows_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "links.yml", "pages.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path):
    res = run(sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path))
    assert res.returncode == 0, res.stdout + res.stderr


def test_zizmor_finds_nothing():
    res = run(tool("zizmor"), "--offline", "--no-progress", "--format", "json", ".github/workflows/",
              env={"NO_COLOR": "1"})
    assert res.returncode == 0, res.stdout + res.stderr
    assert json.loads(res.stdout) == [], res.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_security_policy(path):
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in triggers
    assert data["permissions"] == {}
    assert data["concurrency"]["group"]
    assert "secrets." not in text
    uses = [line for line in text.splitlines() if re.match(r"^\s*(-\s*)?uses:", line)]
    assert uses
    for line in uses:
        assert SHA_PIN.match(line), f"not pinned to a full commit SHA with a # vX.Y.Z comment: {line.strip()}"
    for name, job in data["jobs"].items():
        perms = job.get("permissions")
        assert isinstance(perms, dict), f"job {name} must set its own permissions"
        if "pages" not in path.name or name != "deploy":
            assert perms.get("id-token") is None and perms.get("pages") != "write", name
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_pages_deploy_job_has_only_what_it_needs():
    data = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    build_env = next(s for s in data["jobs"]["build"]["steps"] if s.get("run") == "make build")["env"]
    assert build_env["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert build_env["REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"


def test_ci_runs_validation_tests_and_build():
    text = (ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    for needle in ("python-version: \"3.11\"", "chromium $packages", "fonts-noto-cjk poppler-utils", "make setup",
                   "python -m regiot validate --format github", "make test", "make build", "path: site/"):
        assert needle in text


# --- issue forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_matches_github_schema(path):
    res = run(sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-issue-forms", str(path))
    assert res.returncode == 0, res.stdout + res.stderr


def test_issue_config_matches_github_schema():
    path = ROOT / ".github/ISSUE_TEMPLATE/config.yml"
    res = run(sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-issue-config", str(path))
    assert res.returncode == 0, res.stdout + res.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["blank_issues_enabled"] is False
    assert all(link["url"].startswith("https://") for link in data["contact_links"])


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_issue_form_ids_and_labels_are_unique(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = [item for item in data["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    labels = [item["attributes"]["label"] for item in fields]
    assert len(ids) == len(set(ids)), ids
    assert len(labels) == len(set(labels)), labels
    for item in fields:
        label = item["attributes"]["label"]
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff].*\([A-Za-z][^()]*\)$", label), \
            f"label should be Japanese with English in parentheses: {label}"
        options = [o["label"] if isinstance(o, dict) else o for o in item["attributes"].get("options", [])]
        assert len(options) == len(set(options)), item["id"]


def test_new_case_form_fields_are_the_ones_the_converter_reads():
    form = issueform.load_form()
    assert [f.id for f in form] == list(issueform.FIELD_IDS)
    required = {f.id for f in form if f.required}
    assert {"title_ja", "organisations", "prefecture", "stage", "start_year", "summary_ja", "background_ja",
            "approach_ja", "sources", "accessed"} <= required


def test_new_case_form_options_follow_the_vocabularies(vocab):
    form = {f.id: f for f in issueform.load_form()}
    ids = lambda fid: [issueform._option_id(o) for o in form[fid].options]  # noqa: E731
    assert ids("fields") == [f["id"] for f in vocab.fields]
    assert ids("technologies") == [t["id"] for t in vocab.technologies]
    assert ids("funding_types") == [t["id"] for t in vocab.funding]
    assert ids("stage") == load_schema()["properties"]["stage"]["enum"]
    assert form["prefecture"].options == [f"{p['code']} {p['ja']} ({p['en']})" for p in vocab.prefectures]
    assert len(form["prefecture"].options) == 47


# --- issue-to-case -------------------------------------------------------------------------------

FORM = issueform.load_form()
CONFIRM_ALL = list(next(f for f in FORM if f.id == "confirm").options)


def opt(fid: str, option_id: str) -> str:
    """The checkbox/dropdown label of a vocabulary id."""
    field = next(f for f in FORM if f.id == fid)
    return next(o for o in field.options if issueform._option_id(o) == option_id or o.startswith(option_id + " "))


def body_from(values: dict[str, object]) -> str:
    """An issue body exactly as GitHub renders a submitted form."""
    parts = []
    for field in FORM:
        value = values.get(field.id)
        if field.type == "checkboxes":
            chosen = set(value or [])
            text = "\n".join(f"- [{'X' if o in chosen else ' '}] {o}" for o in field.options)
        else:
            text = str(value) if value else "_No response_"
        parts.append(f"### {field.label}\n\n{text}")
    return "\n\n".join(parts) + "\n"


COMPLETE = {
    "title_ja": "テスト町の水田センサーによるスマート農業",
    "title_en": "Smart rice farming with paddy sensors in Test Town",
    "organisations": "テスト町 | Test Town | 市区町村\n株式会社テスト農機 | Test Farm Machinery Co., Ltd. | 企業",
    "prefecture": opt("prefecture", "15"),
    "municipalities": "テスト町 | Test Town",
    "fields": [opt("fields", "agriculture"), opt("fields", "iot-infra")],
    "stage": opt("stage", "implementation"),
    "start_year": "2015",
    "summary_ja": "テスト町と地元企業が、水田に水位と水温のセンサーを置き、スマートフォンで確認できるようにした取組です。"
                  "見回りの手間が減り、担い手の確保にもつながっています。",
    "summary_en": "Test Town and a local company put water-level and temperature sensors in paddies that farmers "
                  "can check on their phones. It cut the time spent checking fields and helps keep farmers in the area.",
    "background_ja": "町では農家の高齢化が進み、広い水田の水管理が大きな負担になっていました。",
    "background_en": "Farmers in the town are ageing, and managing water across large paddies had become a heavy burden.",
    "approach_ja": "町が費用の一部を負担し、株式会社テスト農機がセンサーとアプリを開発しました。",
    "approach_en": "The town paid part of the cost and Test Farm Machinery developed the sensors and the app.",
    "outcomes": "水管理にかかる時間の削減率 | Reduction in time spent on water management | 25 | % | % | 2016年3月 | 1",
    "technologies": [opt("technologies", "sensors"), opt("technologies", "mobile-app")],
    "funding_types": [opt("funding_types", "national-subsidy")],
    "funding_note_ja": "国の補助事業を活用しました。",
    "funding_note_en": "A national subsidy programme paid for part of it.",
    "partners": "テスト大学 | Test University | 学（大学・研究機関）",
    "awards": "ICT地域活性化大賞 | 2015 | 大賞／総務大臣賞 | 1",
    "sources": "https://www.example.jp/news/2016/0122.html | 地域情報化大賞2015の受賞事例 | テスト総合通信局 | 2016-01-22",
    "accessed": "2026/11/20",
    "confirm": CONFIRM_ALL,
}


def convert(values: dict[str, object], case_id: str | None = None):
    return issueform.issue_to_case(body_from(values), case_id, today=TODAY)


def check_written(text: str, case_id: str, vocab) -> dict:
    """The returned text passes the real validator as cases/<id>.yml."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case_id}.yml"
        path.write_text(text, encoding="utf-8")
        record, problems = load_case_file(path, f"cases/{case_id}.yml", vocab, TODAY)
    assert problems == [], problems
    return record


def test_complete_japanese_issue_becomes_a_valid_case(vocab):
    text, problems = convert(COMPLETE)
    assert problems == []
    assert text.startswith("# yaml-language-server: $schema=../schema/case.schema.json\n")
    rec = check_written(text, "smart-rice-farming-with-paddy-sensors-in-test-town", vocab)
    assert rec["title"] == {"ja": COMPLETE["title_ja"], "en": COMPLETE["title_en"]}
    assert [o["type"] for o in rec["organisations"]] == ["municipality", "company"]
    assert rec["location"]["prefectures"] == ["15"]
    assert rec["fields"] == ["agriculture", "iot-infra"] and rec["stage"] == "implementation"
    assert rec["period"] == {"start": 2015, "end": None}
    assert rec["outcomes"][0]["as_of"] == "2016-03" and rec["outcomes"][0]["source"] == "source-1"
    assert rec["awards"] == [{"programme": "ict-chiiki-kasseika-taisho", "year": 2015, "prize": "grand-prize",
                              "source": "source-1"}]
    assert rec["partners"][0]["sector"] == "academia"
    assert rec["sources"][0]["accessed"] == "2026-11-20" and rec["sources"][0]["date"] == "2016-01-22"
    assert rec["translation_pending"] is False
    assert rec["added"] == "2026-11-26" and rec["last_reviewed"] == "2026-11-20"
    # Every string is written by the emitter in double quotes.
    for line in text.splitlines()[2:]:
        m = re.match(r"^\s*(?:- )?[a-z_]+: (.+)$", line)
        if m and not re.fullmatch(r"\d+|true|false", m.group(1)):
            assert m.group(1).startswith('"'), line


JA_ONLY_BODY = """### タイトル（日本語）(Title in Japanese)

〇〇村のドローンによる見守り

### タイトル（英語）(Title in English)

_No response_

### ファイル名（任意）(File name, optional)

example-village-drone-watch

### 実施団体 (Organisations)

〇〇村 | | 市区町村

### 都道府県 (Prefecture)

20 長野県 (Nagano)

### 市区町村 (Municipalities)

_No response_

### 分野 (Fields)

- [ ] 教育 (education)
- [X] 防災 (disaster)

### 段階 (Stage)

実証：試行・実験の段階 (demonstration)

### 開始年 (Start year)

２０２１年度

### 終了年 (End year)

_No response_

### 概要（日本語）(Summary in Japanese)

村がドローンを使って、山あいの集落の見守りを試した取組です。

### 概要（英語）(Summary in English)

_No response_

### 背景（日本語）(Background in Japanese)

集落が点在し、見回りに時間がかかっていました。

### 背景（英語）(Background in English)

_No response_

### 取組の内容（日本語）(Approach in Japanese)

村の職員がドローンを操縦し、映像を役場で確認しました。

### 取組の内容（英語）(Approach in English)

_No response_

### 成果の数値 (Outcomes)

_No response_

### 技術 (Technologies)

- [X] ドローン (drones)

### 財源 (Funding)

- [ ] 国の補助金・交付金・委託事業 (national-subsidy)

### 財源の補足（日本語）(Funding details in Japanese)

_No response_

### 財源の補足（英語）(Funding details in English)

_No response_

### 連携先 (Partners)

_No response_

### 受賞・選定 (Awards)

_No response_

### 横展開のための情報（日本語）(Replication in Japanese)

_No response_

### 横展開のための情報（英語）(Replication in English)

_No response_

### 情報源 (Sources)

https://www.example.jp/village/drone.html | ドローンによる見守りの実証 | 〇〇村

### 情報源を読んだ日 (Date you read the sources)

2026-11-25

### 確認 (Confirmation)

- [X] すべての事実を、実際に読んだ公開ページで確認し、そのページを「情報源」に書きました。(Every fact comes from a public page I actually read and listed under Sources.)
- [X] 文章は自分の言葉で書き、ページの文章を写していません。(I wrote the texts in my own words and copied no sentences.)
- [X] 投稿した内容が CC BY 4.0 で公開されることに同意します。(I agree that my contribution is published under CC BY 4.0.)
"""


def test_japanese_only_issue_is_marked_translation_pending(vocab):
    text, problems = issueform.issue_to_case(JA_ONLY_BODY.replace("\n", "\r\n"), today=TODAY)
    assert problems == []
    rec = check_written(text, "example-village-drone-watch", vocab)
    assert rec["translation_pending"] is True
    assert rec["organisations"] == [{"name": {"ja": "〇〇村"}, "type": "municipality"}]
    assert rec["period"]["start"] == 2021 and rec["stage"] == "demonstration"
    assert rec["technologies"] == ["drones"] and rec["funding"] is None


def test_missing_fields_are_listed_in_plain_words():
    text, problems = convert({"title_ja": "テスト町の取組", "confirm": CONFIRM_ALL})
    assert text is None
    joined = "\n".join(problems)
    for label in ("実施団体 (Organisations)", "都道府県 (Prefecture)", "分野 (Fields)", "段階 (Stage)",
                  "開始年 (Start year)", "概要（日本語）(Summary in Japanese)", "背景（日本語）(Background in Japanese)",
                  "取組の内容（日本語）(Approach in Japanese)", "情報源 (Sources)",
                  "情報源を読んだ日 (Date you read the sources)", "ファイル名（任意）(File name, optional)"):
        assert label in joined, label
    assert "記入が必要です。 / this is required." in joined
    assert "Traceback" not in joined


def test_unticked_confirmation_is_reported():
    text, problems = convert(dict(COMPLETE, confirm=CONFIRM_ALL[:1]))
    assert text is None and any("確認 (Confirmation)" in p for p in problems)


def test_not_an_issue_form():
    text, problems = issueform.issue_to_case("Hello, I would like to add a case.", "x-y-z", today=TODAY)
    assert text is None and "no form fields were found" in problems[0]


def test_the_real_validator_checks_the_result():
    # Parses fine, but the validator refuses a start year in the future.
    text, problems = convert(dict(COMPLETE, start_year="2099"))
    assert text is None
    assert any(p.startswith("開始年 (Start year): ") and "in the future" in p for p in problems), problems


@pytest.mark.parametrize("field, value, expected", [
    ("title_ja", "<script>alert(1)</script>", "HTML"),
    ("summary_ja", "取組です。<img src=x onerror=alert(1)>", "HTML"),
    ("summary_ja", "{{ config.__class__ }} の取組です。", "{{ }}"),
    ("title_ja", "{{ 7*7 }}", "{{ }}"),
    ("approach_ja", "詳しくは[こちら](javascript:alert(1))をご覧ください。", "[text](address)"),
    ("background_ja", "次を開きます。javascript:alert(document.cookie)", "javascript:"),
    ("sources", "javascript:alert(1) | 題名 | 発行者", "http:// or https://"),
    ("sources", "JaVaScRiPt:alert(1)//https://example.jp | 題名 | 発行者", "http:// or https://"),
    ("sources", "data:text/html;base64,PHNjcmlwdD4= | 題名 | 発行者", "http:// or https://"),
    ("sources", "https://example.jp/a\"onmouseover=\"alert(1) | 題名 | 発行者", "http:// or https://"),
    ("sources", "//example.jp/page | 題名 | 発行者", "http:// or https://"),
    ("sources", "http://[::1 | 題名 | 発行者", "http:// or https://"),
    ("title_ja", "foo\nid: evil", "one line"),
    ("organisations", "テスト町 | Test Town | 悪い種類", "unknown type"),
])
def test_malicious_or_broken_input_is_refused(field, value, expected):
    text, problems = convert(dict(COMPLETE, **{field: value}))
    assert text is None
    assert any(expected in p for p in problems), problems


def test_yaml_injection_stays_text(vocab):
    evil_summary = "foo\nid: evil\n- injected: true\n&a [*a] !!python/object/apply:os.system ['id'] {x: y}"
    values = dict(COMPLETE, summary_ja=evil_summary, approach_ja='"; id: evil # \' \\ --- ...',
                  organisations='テスト町", evil: "1 | Test Town\': x | 市区町村')
    text, problems = convert(values, "test-town-injection")
    assert problems == []
    rec = check_written(text, "test-town-injection", vocab)
    assert rec["id"] == "test-town-injection"
    assert rec["summary"]["ja"] == evil_summary
    assert rec["approach"]["ja"] == '"; id: evil # \' \\ --- ...'
    assert rec["organisations"][0]["name"] == {"ja": 'テスト町", evil: "1', "en": "Test Town': x"}
    assert set(yaml.safe_load(text)) == set(yaml.safe_load(convert(COMPLETE, "test-town-injection")[0]))


def test_control_and_invisible_characters_are_removed(vocab):
    values = dict(COMPLETE, title_ja="テスト町\u202eの\u200b取組\x07\x1b[31m", summary_ja="一行目です。\r\n\x00二行目です。\u2028三行目です。")
    text, problems = convert(values, "test-town-control")
    assert problems == []
    rec = check_written(text, "test-town-control", vocab)
    assert rec["title"]["ja"] == "テスト町の取組[31m"
    assert rec["summary"]["ja"] == "一行目です。\n二行目です。\n三行目です。"


TEXT_FIELDS = [f.id for f in FORM if f.type in ("input", "textarea")]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(TEXT_FIELDS), value=st.text(max_size=300))
def test_any_answer_gives_a_valid_file_or_plain_problems(field, value):
    text, problems = convert(dict(COMPLETE, **{field: value}), "test-town-fuzz")
    if text is None:
        assert problems and all(isinstance(p, str) and p and "Traceback" not in p for p in problems)
    else:
        assert problems == []
        check_written(text, "test-town-fuzz", load_vocab(ROOT / "vocab", ROOT))


def test_a_forged_section_heading_is_refused():
    values = dict(COMPLETE, summary_ja="取組です。\n\n### 開始年 (Start year)\n\n1999")
    text, problems = convert(values)
    assert text is None and any("appears twice" in p for p in problems)


def test_unknown_award_names_what_to_do():
    text, problems = convert(dict(COMPLETE, awards="まちづくり大賞 | 2015 | 大賞 | 1"))
    assert text is None and any("vocab/awards.yml" in p and "an editor adds it" in p for p in problems)


def test_source_numbers_must_exist():
    text, problems = convert(dict(COMPLETE, outcomes=COMPLETE["outcomes"].replace("| 1", "| 3")))
    assert text is None and any("does not match a line under Sources" in p for p in problems)


def test_bad_ids_are_refused():
    for bad in ("../../etc/passwd", "Test Town", "ab", "-x-"):
        text, problems = convert(COMPLETE, bad)
        assert text is None and any("cannot be a file name" in p for p in problems), bad


def test_issue_to_case_cli_writes_a_valid_file(tmp_path, vocab):
    body = tmp_path / "body.md"
    body.write_text(body_from(COMPLETE), encoding="utf-8")
    out = tmp_path / "cases"
    res = run(sys.executable, "-m", "regiot", "issue-to-case", str(body), "--id", "test-town-paddy", "--out", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    records, problems = load_cases(out, vocab, tmp_path)
    assert problems == [] and [r["id"] for r in records] == ["test-town-paddy"]
    again = run(sys.executable, "-m", "regiot", "issue-to-case", str(body), "--id", "test-town-paddy", "--out", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    to_stdout = run(sys.executable, "-m", "regiot", "issue-to-case", "-", "--id", "test-town-paddy",
                    stdin=body_from(COMPLETE))
    assert to_stdout.returncode == 0 and to_stdout.stdout == (out / "test-town-paddy.yml").read_text(encoding="utf-8")


def test_issue_to_case_cli_lists_problems(tmp_path):
    body = tmp_path / "body.md"
    body.write_text(body_from({"title_ja": "テスト町の取組"}), encoding="utf-8")
    res = run(sys.executable, "-m", "regiot", "issue-to-case", str(body), "--out", str(tmp_path / "cases"))
    assert res.returncode == 1
    assert "Please fix the following" in res.stdout and "- 実施団体 (Organisations): " in res.stdout
    assert not (tmp_path / "cases").exists()


# --- new-case scaffold and the template ----------------------------------------------------------

MINIMAL = {
    "title.ja": '"テスト町の水田センサー"', "title.en": '"Paddy sensors in Test Town"',
    "organisations.name.ja": '"テスト町"', "organisations.name.en": '"Test Town"', "organisations.type": "municipality",
    "location.prefectures": '["15"]', "fields": "[agriculture, iot-infra]", "stage": "implementation",
    "period.start": "2015",
    "summary.ja": '"テスト町が水田に水位センサーを置いた取組です。見回りの手間が減りました。"',
    "summary.en": '"Test Town put water-level sensors in its paddies, which cut the time spent checking fields."',
    "background.ja": '"見回りに時間がかかっていました。"', "background.en": '"Checking the fields took a long time."',
    "approach.ja": '"町がセンサーとクラウドを導入しました。"', "approach.en": '"The town introduced sensors and a cloud service."',
    "sources.id": "test-source", "sources.url": '"https://example.org/test-town"', "sources.title": '"テスト町の報告"',
    "sources.publisher": '"テスト町"', "sources.accessed": '"2026-11-20"',
}


def _first_award(vocab) -> dict[str, str]:
    prog = vocab.awards[0]
    ed = prog["editions"][0]
    return {"awards.programme": prog["id"], "awards.year": str(ed["year"]), "awards.prize": ed["prizes"][0]["id"],
            "awards.source": "test-source"}


def full_values(vocab) -> dict[str, str]:
    return dict(MINIMAL, **{
        "location.municipalities.ja": '"テスト町"', "location.municipalities.en": '"Test Town"',
        "location.population.value": "2353", "location.population.as_of": '"2015-04"',
        "location.population.source": "test-source", "period.end": "2020",
        "outcomes.metric.ja": '"見回り時間の削減"', "outcomes.metric.en": '"Less time spent checking fields"',
        "outcomes.value": '"25"', "outcomes.unit.ja": '"%"', "outcomes.unit.en": '"%"',
        "outcomes.as_of": '"2017-03"', "outcomes.source": "test-source",
        "technologies": "[sensors, cloud]", "funding.types": "[national-subsidy]",
        "funding.note.ja": '"国の補助事業を活用しました。"', "funding.note.en": '"A national subsidy paid for it."',
        "partners.name.ja": '"テスト大学"', "partners.name.en": '"Test University"', "partners.sector": "academia",
        "replication.ja": '"センサーとクラウドの契約があれば始められます。"',
        "replication.en": '"Sensors and a cloud contract are enough to start."',
        "note.ja": '"情報源どうしの食い違いはありません。"', "note.en": '"The sources agree."',
        "keywords.ja": "[てすと, すいでん]", "keywords.en": "[paddy]", "sources.date": '"2016-01-22"',
        **_first_award(vocab),
    })


def switch_on_everything(text: str) -> str:
    """What a contributor does to use every optional field: delete the leading '#' of its lines."""
    out = []
    for line in text.splitlines():
        while True:
            new = re.sub(r"^(\s*)#(?=[a-z_]|  )", r"\1", line)
            if new == line:
                break
            line = new
        out.append(line)
    return "\n".join(out) + "\n"


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the value after `key:` on each line, by the key's path (list items have no index)."""
    stack: list[tuple[int, str]] = []
    out = []
    for line in text.splitlines():
        m = re.match(r"^(\s*)(- )?([a-z_]+):(.*)$", line)
        if m and not line.lstrip().startswith("#"):
            indent = len(m.group(1)) + (2 if m.group(2) else 0)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, m.group(3)))
            path = ".".join(k for _, k in stack)
            if path in values:
                line = f"{m.group(1)}{m.group(2) or ''}{m.group(3)}: {values[path]}"
        out.append(line)
    return "\n".join(out) + "\n"


def test_new_case_fails_clearly_while_empty(tmp_path, vocab):
    path = scaffold.new_case(tmp_path, "test-town-project", today=TODAY)
    assert path == tmp_path / "cases" / "test-town-project.yml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schema/case.schema.json"
    assert 'id: "test-town-project"' in text
    assert 'added: "2026-11-26"' in text and 'last_reviewed: "2026-11-26"' in text
    record, problems = load_case_file(path, "cases/test-town-project.yml", vocab, TODAY)
    assert record is None
    shown = [str(p) for p in problems]
    assert all(p.line > 0 for p in problems)
    assert not any("not valid YAML" in s for s in shown)
    for expected in ("title.ja: is empty; write some text", "organisations[0].type: '' is not allowed; use one of",
                     "location.prefectures: has 0 items; at least 1 allowed", "fields: has 0 items",
                     "stage: '' is not allowed", "period.start: should be a whole number, but is empty",
                     "summary.ja: is empty", "sources[0].url: '' is not valid here"):
        assert any(expected in s for s in shown), (expected, shown)
    # Each problem points at the line of the empty value.
    lines = text.splitlines()
    title_problem = next(p for p in problems if p.where == "title.ja")
    assert lines[title_problem.line - 1].strip() == 'ja: ""'


def test_new_case_passes_once_required_fields_are_filled(tmp_path, vocab):
    path = scaffold.new_case(tmp_path, "test-town-project", today=TODAY)
    path.write_text(fill(path.read_text(encoding="utf-8"), MINIMAL), encoding="utf-8")
    record, problems = load_case_file(path, "cases/test-town-project.yml", vocab, TODAY)
    assert problems == [], "\n".join(map(str, problems))
    assert record["title"]["ja"] == "テスト町の水田センサー" and record["outcomes"] == []


def test_new_case_passes_with_every_optional_field_switched_on_and_filled(tmp_path, vocab):
    path = scaffold.new_case(tmp_path, "test-town-project", today=TODAY)
    text = switch_on_everything(path.read_text(encoding="utf-8"))
    empty_problems = load_case_file(_write(path, text), "cases/test-town-project.yml", vocab, TODAY)[1]
    assert any(p.where == "outcomes[0].metric.ja" for p in empty_problems)  # switched on, still empty: reported
    path.write_text(fill(text, full_values(vocab)), encoding="utf-8")
    record, problems = load_case_file(path, "cases/test-town-project.yml", vocab, TODAY)
    assert problems == [], "\n".join(map(str, problems))
    assert record["location"]["population"]["value"] == 2353
    assert record["outcomes"][0]["unit"] == {"ja": "%", "en": "%"}
    assert record["awards"][0]["source"] == "test-source" and record["period"]["end"] == 2020
    assert record["keywords"] == {"ja": ["てすと", "すいでん"], "en": ["paddy"]}


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("bad", ["My Town", "-town", "town-", "to--wn", "ab", "a" * 61, "../evil", "町", ""])
def test_new_case_refuses_bad_ids(tmp_path, bad):
    with pytest.raises(ValueError, match="cannot be a case id|characters long"):
        scaffold.new_case(tmp_path, bad)
    assert not (tmp_path / "cases").exists() or not any((tmp_path / "cases").iterdir())


def test_new_case_refuses_an_existing_file(tmp_path):
    scaffold.new_case(tmp_path, "test-town-project")
    before = (tmp_path / "cases" / "test-town-project.yml").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="already exists"):
        scaffold.new_case(tmp_path, "test-town-project")
    assert (tmp_path / "cases" / "test-town-project.yml").read_text(encoding="utf-8") == before


def test_new_case_cli(tmp_path):
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    ok = run(sys.executable, "-m", "regiot", "--root", str(tmp_path), "new-case", "test-town-project")
    assert ok.returncode == 0 and (tmp_path / "cases" / "test-town-project.yml").exists()
    bad = run(sys.executable, "-m", "regiot", "--root", str(tmp_path), "new-case", "Test Town")
    assert bad.returncode == 2 and "cannot be a case id" in bad.stderr


def test_every_schema_field_is_explained_in_both_languages():
    paths = scaffold.property_paths()
    assert set(scaffold.JA) == set(paths), "add a Japanese explanation to regiot/scaffold.py JA for each new field"
    text = scaffold.render_template()
    for line in text.splitlines():
        assert line.strip() not in ("# 【必須】", "# 【任意】", "# [Required]", "# [Optional]"), line
    for path in paths:
        assert scaffold.JA[path] in text, path


def test_a_new_schema_field_appears_without_code_changes():
    schema = json.loads(json.dumps(load_schema()))
    schema["properties"]["budget_note"] = {"description": "A new optional field.", "$ref": "#/$defs/prose"}
    schema["properties"]["period"]["properties"]["months"] = {"type": "integer", "description": "Months it ran."}
    schema["properties"]["period"]["required"].append("months")
    text = scaffold.render("test-town", "2026-11-26", ROOT, schema=schema)
    assert "# [Optional] A new optional field.\n#budget_note:\n" in text
    assert "  # [Required] Months it ran.\n  months:\n" in text


def test_template_is_in_sync_with_the_schema_and_vocabularies():
    assert scaffold.TEMPLATE_PATH.read_text(encoding="utf-8") == scaffold.render_template(), \
        "templates/case-template.yml is out of date; run: .venv/bin/python -m regiot.scaffold"


def test_template_has_no_id_or_dates_and_fails_until_filled(tmp_path, vocab):
    text = scaffold.TEMPLATE_PATH.read_text(encoding="utf-8")
    assert 'id: ""' in text and 'added: ""' in text
    filled = fill(text, dict(MINIMAL, id="test-town-project", added='"2026-11-26"', last_reviewed='"2026-11-26"'))
    path = _write(tmp_path / "test-town-project.yml", filled)
    assert load_case_file(path, "cases/test-town-project.yml", vocab, TODAY)[1] == []


# --- validate --format github -------------------------------------------------------------------

def test_validate_prints_github_annotations(tmp_path):
    make_project(tmp_path, cases_from=None)  # the site's sources with the fixture awards, no cases or courses
    text = (FIXTURES / "site" / "cases" / "alpha-town-farm-sensors.yml").read_text(encoding="utf-8")
    text = text.replace("id: alpha-town-farm-sensors", "id: x").replace("stage: implementation", "stage: pilot")
    (tmp_path / "cases" / "x.yml").write_text(text, encoding="utf-8")
    stage_line = text.splitlines().index("stage: pilot") + 1
    res = run(sys.executable, "-m", "regiot", "--root", str(tmp_path), "validate", "--format", "github")
    assert res.returncode == 1
    annotations = [line for line in res.stdout.splitlines() if line.startswith("::")]
    assert f"::error file=cases/x.yml,line={stage_line}::stage: 'pilot' is not allowed; use one of " \
           "'demonstration', 'implementation', 'scale-out'" in res.stdout
    assert all(re.match(r"^::error file=cases/x\.yml,line=\d+::\S", a) for a in annotations), annotations
    assert "found in the site's data" in res.stderr


# --- external link checker ----------------------------------------------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    def _answer(self, with_body: bool) -> None:
        if self.path == "/live":
            code = 200
        elif self.path == "/no-head":
            code = 405 if self.command == "HEAD" else 200
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/live")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            code = 404
        body = b"ok" if code == 200 else b"not found"
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _links_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_external_links", ROOT / "scripts" / "check_external_links.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up here
    spec.loader.exec_module(mod)
    return mod


def test_link_checker_functions(local_server):
    links = _links_module()
    opener = links.make_opener(use_env_proxies=False)
    assert links.check_url(f"{local_server}/live", 5, opener) == links.Result(f"{local_server}/live", True, "200 OK")
    assert links.check_url(f"{local_server}/no-head", 5, opener).ok
    assert links.check_url(f"{local_server}/moved#part", 5, opener).ok
    dead = links.check_url(f"{local_server}/gone", 5, opener)
    assert not dead.ok and dead.detail == "404 Not Found"
    closed = links.check_url("http://127.0.0.1:9/", 2, opener)
    assert not closed.ok and closed.detail


def test_link_checker_gives_up_on_a_host_that_never_answers(local_server):
    links = _links_module()
    opener = links.make_opener(use_env_proxies=False)
    dead_host = [f"http://127.0.0.1:9/page-{i}" for i in range(5)]
    results = links.check_all(dead_host + [f"{local_server}/live"], timeout=2, pause=0, opener=opener)
    details = [results[u].detail for u in dead_host]
    assert sum(d.startswith("not checked") for d in details) == 2
    assert not any(results[u].ok for u in dead_host) and results[f"{local_server}/live"].ok


def test_link_checker_reports_dead_sources_without_failing(tmp_path, local_server):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.yml").write_text(
        "id: x\nsources:\n"
        f"  - id: a\n    url: \"{local_server}/live\"\n"
        f"  - id: b\n    url: \"{local_server}/gone\"\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    res = run(sys.executable, str(ROOT / "scripts" / "check_external_links.py"), "--root", str(tmp_path), "--github",
              "--pause", "0", "--timeout", "5",
              env={"GITHUB_STEP_SUMMARY": str(summary), "NO_PROXY": "127.0.0.1,localhost",
                   "no_proxy": "127.0.0.1,localhost"})
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Checked 2 source addresses: 1 answered, 1 did not." in res.stdout
    assert f"cases/x.yml:6: {local_server}/gone: 404 Not Found" in res.stdout
    warnings = [line for line in res.stdout.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1 and warnings[0].startswith("::warning file=cases/x.yml,line=6,title=")
    assert "/live" not in warnings[0]
    table = summary.read_text(encoding="utf-8")
    assert "Checked 2 addresses; 1 did not answer." in table and f"`{local_server}/gone`" in table


def test_link_checker_is_not_part_of_the_offline_tests():
    assert "check_external_links" not in (ROOT / "Makefile").read_text(encoding="utf-8")
    text = (ROOT / ".github/workflows/links.yml").read_text(encoding="utf-8")
    assert "scripts/check_external_links.py" in text and "pull_request" not in text


# --- editor and pre-commit settings --------------------------------------------------------------

def test_vscode_binds_the_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert "cases/*.yml" in schemas["./schema/case.schema.json"]
    assert "courses/*/course.yml" in schemas["./schema/course.schema.json"]
    assert (ROOT / "schema" / "case.schema.json").exists()


def test_pre_commit_hooks_are_pinned():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: repo for repo in config["repos"] for h in repo["hooks"]}
    assert {"check-yaml", "ruff-check", "regiot-validate"} <= set(hooks)
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"[0-9a-f]{40}", repo["rev"]), repo["repo"]
    assert hooks["regiot-validate"]["hooks"][0]["entry"] == "python -m regiot validate"


def test_contributing_documents_exist_in_both_languages():
    for name in ("CONTRIBUTING.md", "CODE_OF_CONDUCT.md", ".github/PULL_REQUEST_TEMPLATE.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert re.search(r"[\u3040-\u30ff]", text) and re.search(r"\b(the|and)\b", text), name
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    ja, en = contributing.index("日本語"), contributing.index("English")
    assert ja < en
    for needle in ("templates/case-template.yml", "make new-case ID=", "make validate", "make serve",
                   "docs/editorial-guide.md", "LICENSE-CONTENT.md", "CODE_OF_CONDUCT.md", "CC BY 4.0", "MIT"):
        assert needle in contributing, needle
