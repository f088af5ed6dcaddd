"""Messages in the editor's language (issue 20): the language rule, the zh catalog, values as a doctor writes them."""

from __future__ import annotations

import json
import string

import pytest

from cloudpeds.diagnostics import error, warning
from cloudpeds.messages import (
    CATALOG,
    choose_language,
    error_report,
    format_diagnostic,
    format_json,
    format_report,
    hide_staging,
    is_translated,
    language_from_env,
    shown_value,
    translate,
    untranslated_english,
)


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"),  # LC_ALL wins over LANG, as in POSIX
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh_CN.UTF-8"}, "zh"),  # an empty variable is not set
    ({"LANG": "zh_CN.UTF-8", "CLOUDPEDS_LANG": "en"}, "en"),  # our own variable wins
    ({"LANG": "C", "CLOUDPEDS_LANG": "zh"}, "zh"),
])
def test_the_language_comes_from_cloudpeds_lang_then_the_locale(environ, expected):
    assert language_from_env(environ) == expected


def test_the_option_wins_over_the_environment():
    assert choose_language("en", {"LANG": "zh_CN.UTF-8"}) == "en"
    assert choose_language("zh", {"LANG": "C"}) == "zh"
    assert choose_language(None, {"LANG": "zh_CN.UTF-8"}) == "zh"


def test_a_known_message_is_chinese_with_ids_paths_and_values_kept():
    assert translate("id 'fever-ds-young-infant' is already used at manual/chapters/fever.zh.md:10") == \
        "id 'fever-ds-young-infant' 已在 manual/chapters/fever.zh.md:10 使用"
    assert translate("the threshold says ≥ 48 h but the text does not say 48") == "阈值是 ≥ 48 h，但文字里没有写 48"
    assert translate("unknown field `colour`") == "未知字段 `colour`"


def test_nested_parts_are_translated_too():
    text = 'close it with ] on the same line, e.g. [a, b]; 4 "unknown reference" error(s) that follow from this ' \
           'are not shown: fix this first'
    assert translate(text) == ("请在同一行用 ] 闭合，例如 [a, b]；"
                               "由此引起的 4 个“未知参考文献”错误未列出：请先修正这一处")
    assert translate("node H is drawn as ● Home (home) but links to referral 'fever-ref-routine', which is ◆ "
                     "Routine (routine)") == ("节点 H 画成了 ● 居家 (home)，"
                                              "但它链接的转诊 'fever-ref-routine' 是 ◆ 常规 (routine)")


def test_raw_yaml_sentences_are_explained_in_plain_words():
    zh = translate("malformed YAML: mapping values are not allowed here")
    assert zh.startswith("YAML 格式错误：") and "缩进" in zh and "引号" in zh


def test_an_unknown_message_stays_english_and_english_is_untouched():
    assert translate("something nobody wrote yet") == "something nobody wrote yet"
    assert not is_translated("something nobody wrote yet")
    assert translate("unknown field `colour`", "en") == "unknown field `colour`"


def test_every_catalog_template_uses_only_its_own_groups():
    for pattern, template in CATALOG:
        names = set(pattern.groupindex)
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert used <= names, (pattern.pattern, template)


def test_a_chinese_report_keeps_file_line_col_field_and_code():
    found = [error("manual/chapters/fever.zh.md", 14, 5, "danger_signs[0].id", "unknown field `colour`",
                   "did you mean `color`?", code="CP101"),
             warning("manual/chapters/fever.zh.md", 3, 1, "", "a placeholder is left in the text")]
    assert format_diagnostic(found[0], "zh") == ("manual/chapters/fever.zh.md:14:5: 错误: [CP101] danger_signs[0].id: "
                                                 "未知字段 `colour`（提示：您是不是想写 `color`？）")
    report = format_report(found, "zh").splitlines()
    assert report[0] == "manual/chapters/fever.zh.md:3:1: 警告: 文字中还有占位符"
    assert report[-1] == "1 个错误，1 个警告"
    assert format_report(found, "en").splitlines()[-1] == "1 error(s), 1 warning(s)"
    assert error_report("the manual has errors; nothing was written to the site:", found, "zh").startswith(
        "手册有错误；网站没有写入任何内容：\nmanual/chapters/fever.zh.md:3:1: 警告:")


def test_json_keeps_english_and_adds_chinese():
    (entry,) = json.loads(format_json([error("a.md", 1, 1, "", "the file is empty")]))
    assert entry["message"] == "the file is empty" and entry["message_zh"] == "文件是空的"
    assert entry["hint"] == entry["hint_zh"] == ""


@pytest.mark.parametrize(("value", "shown"), [
    (48.0, "48"), (38.5, "38.5"), (None, "(none)"), (True, "true"), ("draft", "'draft'"),
    ({"measure": "duration", "op": ">=", "value": 48.0, "unit": "h"}, "≥ 48 h"),
    ({"zh": "发热", "en": "Fever"}, "zh: '发热', en: 'Fever'"),
    ([2026, 1.0], "[2026, 1]"),
])
def test_values_are_shown_as_a_doctor_writes_them(value, shown):
    assert shown_value(value) == shown


def test_the_english_detector_allows_ids_paths_code_and_units():
    assert untranslated_english("剂量 'fever-dose-bpen'：12000 mg 超过了它的 max_single 1200") is None
    assert untranslated_english("请运行 `cloudpeds translate fever` 从 zh 版本复制") is None
    assert untranslated_english("这里 is not allowed here") == "is not allowed here"


@pytest.mark.parametrize(("text", "shown"), [
    ("Building documentation to directory: /p/.site.staging-4242", "Building documentation to directory: /p/site"),
    ("Built releases/..2026.publish-77.staging-77/", "Built releases/2026/"),
    ("releases/.2026.publish-77: another publish", "releases/2026: another publish"),
    ("a file named x.staging-1.md in the text", "a file named x.staging-1.md in the text"),
])
def test_staging_folders_are_shown_as_the_folder_they_become(text, shown):
    assert hide_staging(text) == shown


def test_publishs_list_of_what_is_not_ready_is_translated_line_by_line():
    refusal = ("the working copy is not ready, nothing was published (finish these first; --allow-warnings does not "
               "cover them):\n"
               "  manual/chapters/h.en.md:7:5: error: title: translation pending: 5 text(s) still marked "
               "[to translate] (hint: translate each marked text and delete the mark; the page shows a notice "
               "until then)\n"
               "  manual/chapters/h.zh.md:3: status is draft (set trial or current when it is finished)")
    assert translate(refusal).splitlines() == [
        "工作副本还没有准备好，没有发布任何内容（请先完成以下各项；--allow-warnings 不适用于它们）：",
        "  manual/chapters/h.en.md:7:5: 错误: title: 待翻译：还有 5 段文字标着 [to translate]"
        "（提示：请翻译每段标记的文字并删除标记；在此之前页面上会显示提示）",
        "  manual/chapters/h.zh.md:3: status 还是 draft（完成后请设为 trial 或 current）",
    ]
    unfinished = translate("these chapters are not ready, nothing was published (finish them, or remove them "
                           "from the working copy):\n  zh/headache: status is draft")
    assert unfinished.splitlines()[1] == "  zh/headache：status 还是 draft"


@pytest.mark.parametrize("text", [
    "a: b: c\n", "a: 1\n b: 2\n", "a:\n  - x\n  y: 1\n", "a: [1, 2\nb: 3\n", 'a: "x\nb: 1\n', "a: *nope\n",
    "a: 1\n\tb: 2\n", "- a\nb: 1\n", "a: @x\n", "a: 'x' y\n", "key\nother: 1\n", "a: [1,, 2]\n",
    "a: !!python/object:os.system x\n", "a: &x 1\nb: &x 2\n",
])
def test_every_yaml_error_reads_in_plain_chinese(text):
    import yaml

    from cloudpeds import yamlpos

    with pytest.raises(yaml.YAMLError) as raised:
        yamlpos.load(text)
    _, _, message, hint = yamlpos.describe_error(raised.value, text)
    for english in (message, hint):
        chinese = translate(english)
        assert is_translated(english) and untranslated_english(chinese) is None, (english, chinese)
