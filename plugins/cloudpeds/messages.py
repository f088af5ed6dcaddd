"""Messages in the editor's language: the English problem texts of ``check``, ``build``, ``publish``, ``new``,
``translate`` and ``assess`` rendered in Chinese for the hospital's editors.

The messages are written in English where they are found (f-strings in many modules), so they are not
rewritten at each call site: a catalog maps each message shape (an anchored regular expression over the
English text) to a Chinese template that reuses the captured parts. Ids, file paths, values, codes (CP101)
and field paths are captured and kept as they are. Groups named ``t_…`` hold a message of their own and are
localized in turn. A message the catalog does not know stays in English.

Leaf module: stdlib and :mod:`cloudpeds.diagnostics` only, so every command and the MkDocs adapters may use it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .clinical.urgency import LEVELS
from .diagnostics import Diagnostic, Severity

LANGUAGES = ("zh", "en")
#: Chooses the language of the messages (zh or en) before the locale variables.
LANG_ENV = "CLOUDPEDS_LANG"
#: The locale variables in POSIX order of precedence: the first one set decides.
LOCALE_ENVS = ("LC_ALL", "LC_MESSAGES", "LANG")


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` or ``en``: ``CLOUDPEDS_LANG`` if set, else the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG``
    that is set (``zh_CN.UTF-8`` → zh); English otherwise."""
    env = os.environ if environ is None else environ
    for name in (LANG_ENV, *LOCALE_ENVS):
        value = env.get(name, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def choose_language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The ``--lang`` option when given, else :func:`language_from_env`."""
    if option:
        return "zh" if option.lower().startswith("zh") else "en"
    return language_from_env(environ)


# --- the catalog ---------------------------------------------------------------------------------------------

_Q = r"'(?P<{}>[^']*)'"  # a quoted value, kept as written


def _q(name: str) -> str:
    return _Q.format(name)


#: Level and triage words inside messages (``▲ Urgent (urgent)``): the words are translated, the id kept.
#: The words of the one urgency scale, so that a message names a level as every page does (urgent is 当天).
_LEVEL_WORDS = {level.word["en"]: level.word["zh"] for level in LEVELS}
_LEVEL = r"(?P<{}>[^\s(]+ (?:Emergency|Urgent|Routine|Observe|Treat at home|Home) \([a-z-]+\))"


def _level(name: str) -> str:
    return _LEVEL.format(name)


#: (English pattern, Chinese template). Patterns are anchored at both ends.
CATALOG_SOURCE: list[tuple[str, str]] = [
    # follow-on errors left out (any message or hint may end with it)
    (r'(?P<t_head>.+); (?P<n>\d+) "(?P<t_what>[^"]+)" error\(s\) that follow from this are not shown: '
     r"fix this first", "{t_head}；由此引起的 {n} 个“{t_what}”错误未列出：请先修正这一处"),
    ("unknown reference", "未知参考文献"),
    (r"(?P<t_head>.+); each group is a list: (?P<e>.+)", "{t_head}；每个组是一个列表：{e}"),
    # YAML and files
    (r"malformed YAML: this (?P<b>[\[{]) is not closed \(YAML fails at line (?P<n>\d+)\)",
     "YAML 格式错误：这个 {b} 没有闭合（YAML 在第 {n} 行才报错）"),
    (r"malformed YAML: this quote is not closed on its line \(YAML then fails at line (?P<n>\d+)\)",
     "YAML 格式错误：这一行的引号没有闭合（YAML 随后在第 {n} 行报错）"),
    ("malformed YAML: this quote is never closed", "YAML 格式错误：这个引号一直没有闭合"),
    (r"malformed YAML: the tag (?P<tag>\S+) is not allowed here", "YAML 格式错误：这里不允许使用标记 {tag}"),
    (r"malformed YAML: (?P<t_yaml>.+)", "YAML 格式错误：{t_yaml}"),
    ("malformed YAML", "YAML 格式错误"),
    # raw PyYAML sentences, in plain words
    ("mapping values are not allowed here",
     "这里不能再有“字段: 值”（常见原因：上一行缩进不对，或文字里有“: ”而没有加引号）"),
    ("while scanning a simple key could not find expected ':'",
     "这一行缺少冒号“:”（字段名后要有“: ”，或文字换行时缩进不对）"),
    ("could not find expected ':'", "缺少冒号“:”（字段名后要有“: ”）"),
    (r"while parsing a block mapping expected <block end>, but found '(?P<tok>[^']*)'",
     "这一行的缩进与上面的字段不一致（发现了意外的 {tok}）"),
    (r"while parsing a block collection expected <block end>, but found '(?P<tok>[^']*)'",
     "列表项的缩进不一致（发现了意外的 {tok}）"),
    (r"while parsing a block mapping did not find expected key",
     "这里应该是一个字段名（常见原因：缩进不对，或文字以引号开头却在中间结束）"),
    (r"while parsing a flow (?:sequence|mapping) expected ',' or '[\]}]', but got '(?P<tok>[^']*)'",
     "方括号或花括号里的内容之间要用逗号分隔（发现了 {tok}）"),
    (r"while scanning a quoted scalar found unexpected end of stream", "引号没有闭合，文件就结束了"),
    (r"while scanning an alias expected alphabetic or numeric character, but found '(?P<tok>[^']*)'",
     "“*”开头的文字被当成了别名：请给这段文字加引号"),
    (r"while scanning an anchor expected alphabetic or numeric character, but found '(?P<tok>[^']*)'",
     "“&”开头的文字被当成了锚点：请给这段文字加引号"),
    (r"found character '\\t' that cannot start any token", "这里有制表符（Tab）：YAML 只能用空格缩进"),
    (r"while scanning for the next token found character '(?P<c>[^']*)' that cannot start any token",
     "字符 {c} 不能出现在这里（请给这段文字加引号）"),
    (r"found undefined alias(?P<a>(?: '?[^']*?'?)?)",
     "用到了未定义的别名{a}（*名称 只能引用前面用 &名称 定义过的值）"),
    (r"found duplicate anchor.*", "同一个锚点（&名称）定义了两次"),
    ("mapping values are not allowed in this context",
     "这里不能再有“字段: 值”（常见原因：上一行缩进不对，或文字里有“: ”而没有加引号）"),
    (r"while parsing a block collection did not find expected '-' indicator",
     "列表的缩进不一致，或列表中混进了别的内容（列表的每一项都以“- ”开头，并对齐）"),
    (r"(?:while scanning a plain scalar )?found a tab character that violates indentation",
     "这里有制表符（Tab）：YAML 只能用空格缩进"),
    (r"while scanning for the next token found character that cannot start any token",
     "这里的字符（如 @、` 或 %）不能作为值的开头：请给这段文字加引号"),
    (r"while parsing a block node expected the node content, but found '(?P<tok>[^']*)'",
     "这里缺少内容（发现了 {tok}）"),
    (r"the text contains the control character (?P<c>U\+[0-9A-F]{4}), which is not allowed",
     "文字里有不允许的控制字符 {c}"),
    (r"remove it \(it is invisible in most editors; retype the line\)",
     "请删除它（大多数编辑器里看不见它：重新输入这一行）"),
    (r"remove it: it is invisible in most editors \(retype the line, or search for (?P<s>\S+)\)",
     "请删除它：大多数编辑器里看不见它（重新输入这一行，或搜索 {s}）"),
    (r"remove the escape (?P<e>\(.*\)) from the text", "请从文字中删除转义 {e}"),
    ("save the file as UTF-8 text", "请把文件保存为 UTF-8 文本"),
    ("check indentation, colons and quotes; quote text that contains ': ' or '#'",
     "请检查缩进、冒号和引号；含有“: ”或“#”的文字要加引号"),
    (r"close it with (?P<b>\S) on the same line, e\.g\. (?P<e>.+)", "请在同一行用 {b} 闭合，例如 {e}"),
    ("close the quote on the same line, or quote the whole text", "请在同一行闭合引号，或给整段文字加引号"),
    ("close the quote on the same line", "请在同一行闭合引号"),
    ("remove the tag: sources hold plain text, numbers, dates, lists and fields",
     "请删除这个标记：源文件里只写文字、数字、日期、列表和字段"),
    (r"with its aliases followed this stands for (?P<n>[\d,]+) values, more than the limit of (?P<m>[\d,]+) "
     r"\((?P<c>\w+)\)", "展开别名后相当于 {n} 个值，超过上限 {m}（{c}）"),
    (r"write the values out instead of repeating anchors \(&name\) with aliases \(\*name\)",
     "请直接写出各个值，不要用锚点（&名称）和别名（*名称）重复"),
    (r"the file has (?P<n>[\d,]+) bytes, more than the limit of (?P<m>[\d,]+) bytes for a source file "
     r"\((?P<c>\w+)\)", "文件有 {n} 字节，超过源文件的上限 {m} 字节（{c}）"),
    (r"split it into several files; is it really a text source\?", "请拆分成几个文件；它真的是文本源文件吗？"),
    (r"the file is not UTF-8 text \(GBK/GB18030\?\): byte (?P<b>0x[0-9A-F]+) cannot be read as UTF-8",
     "文件不是 UTF-8 文本（可能是 GBK/GB18030）：字节 {b} 无法按 UTF-8 读取"),
    (r"convert it to UTF-8, e\.g\. (?P<cmd>`[^`]+`), then replace the file",
     "请转换为 UTF-8，例如 {cmd}，然后替换原文件"),
    (r"the file is not UTF-8 text(?P<rest>.*)", "文件不是 UTF-8 文本{rest}"),
    ("the file is empty", "文件是空的"),
    ("the file is missing", "文件不存在"),
    (r"write its fields \(see the editor's guide\), or delete the file",
     "请写入它的字段（见编辑指南），或删除这个文件"),
    ("the chapter has no YAML front matter", "章节没有 YAML 文件头"),
    (r"start the file with a line `---`, the fields, then another `---`",
     "文件以一行 `---` 开始，然后是各字段，再以一行 `---` 结束"),
    (r"(?P<v>'[^']*') is not a real date \((?P<t_why>.+)\)", "{v} 不是一个真实存在的日期（{t_why}）"),
    ("day is out of range for month", "这个月没有这一天"),
    ("month must be in 1..12", "月份必须在 1 到 12 之间"),
    (r"write an existing date as YYYY-MM-DD, e\.g\. (?P<d>\S+)", "请按 YYYY-MM-DD 写一个存在的日期，例如 {d}"),
    ("this field is given twice", "这个字段写了两次"),
    ("keep one of them", "请只保留一个"),
    # model (pydantic) problems
    (r"required field `(?P<f>[^`]+)` is missing", "缺少必填字段 `{f}`"),
    (r"add `(?P<f>[^`]+): …` \(see the editor's guide\)", "请添加 `{f}: …`（见编辑指南）"),
    (r"unknown field `(?P<f>[^`]+)`", "未知字段 `{f}`"),
    (r"did you mean (?P<s>`[^`]+`|'[^']+')\?", "您是不是想写 {s}？"),
    (r"remove it or check the editor's guide", "请删除它，或查阅编辑指南"),
    (r"(?P<v>.+) is not allowed here", "这里不允许 {v}"),
    (r"use one of (?P<choices>.+)", "请使用以下之一：{choices}"),
    ("must not be empty", "不能为空"),
    ("add at least one entry", "请至少添加一项"),
    (r"(?P<v>'[^']*') is not a valid id", "{v} 不是有效的 id"),
    (r"ids use lowercase letters, digits and hyphens, e\.g\. (?P<e>\S+)", "id 只能用小写字母、数字和连字符，例如 {e}"),
    (r"Input should be a valid (?P<t_kind>[a-z ]+?) \(got (?P<v>.*)\)", "应为有效的{t_kind}（实际为 {v}）"),
    (r"Input should be a valid (?P<t_kind>[a-z ]+)", "应为有效的{t_kind}"),
    (r"Input should be (?P<v>.+?) \(got (?P<g>.*)\)", "应为 {v}（实际为 {g}）"),
    ("date", "日期"), ("string", "文字"), ("integer", "整数"), ("number", "数字"), ("list", "列表"),
    ("dictionary", "字段表（映射）"), ("boolean", "是/否（true/false）"),
    (r"Field required", "缺少必填字段"),
    # ids and references
    (r"id (?P<v>'[^']*') is already used at (?P<at>\S+)", "id {v} 已在 {at} 使用"),
    (r"ids must be unique in the whole manual; rename one of them", "id 在整本手册中必须唯一；请重命名其中一个"),
    (r"item id (?P<v>'[^']*') must start with (?P<p>'[^']*')", "条目 id {v} 必须以 {p} 开头"),
    (r"item id (?P<v>'[^']*') repeats the chapter id", "条目 id {v} 重复了章节 id"),
    (r"rename it to (?P<v>\S+)", "请重命名为 {v}"),
    (r"unknown reference (?P<v>'[^']*')", "未知参考文献 {v}"),
    (r"add it to a file in (?P<d>\S+)", "请把它加到 {d} 中的某个文件里"),
    (r"there is no chapter (?P<v>'[^']*')", "没有章节 {v}"),
    (r"there is no manual item (?P<v>'[^']*')", "手册中没有条目 {v}"),
    (r"(?P<v>'[^']*') is not a danger sign of this chapter", "{v} 不是本章节的危险征象"),
    ("related lists chapter ids", "related 中列出的是章节 id"),
    ("teaches.chapters lists chapter ids", "teaches.chapters 中列出的是章节 id"),
    ("list danger-sign, referral or recommendation ids", "请列出危险征象、转诊或建议的 id"),
    ("a marker may name a danger-sign, referral or recommendation id", "标记只能指向危险征象、转诊或建议的 id"),
    # ages
    (r"age (?P<a>\S+) is outside the chapter's age range (?P<r>\S+)", "年龄 {a} 超出了本章节的年龄范围 {r}"),
    (r"age band (?P<b>'[^']*') ends before it starts", "年龄段 {b} 的结束早于开始"),
    (r"age band (?P<b>\S+) lies outside the chapter's age_range (?P<r>\S+)", "年龄段 {b} 超出了本章节的 age_range {r}"),
    ("a danger sign applies within the chapter's ages", "危险征象只能适用于本章节的年龄范围内"),
    (r"add an age band or narrow `ages`", "请添加一个年龄段，或缩小 `ages`"),
    # translations
    (r"translation gap: (?P<v>'[^']*') is missing from (?P<p>\S+)", "翻译缺口：{p} 中缺少 {v}"),
    (r"translation gap: no (?P<l>\w+) version of this chapter", "翻译缺口：本章节没有 {l} 版本"),
    (r"translation out of date: differs from (?P<at>\S+) \((?P<here>.*) here, (?P<there>.*) there\)",
     "翻译已过期：与 {at} 不一致（这里是 {here}，那里是 {there}）"),
    (r"translation out of date: (?P<at>\S+) changed after this text was translated",
     "翻译已过期：{at} 在这段文字翻译之后改动过"),
    (r"translation pending: (?P<n>\d+) text\(s\) still marked \[to translate\]",
     "待翻译：还有 {n} 段文字标着 [to translate]"),
    (r"translation pending: the body is marked \[to translate\]", "待翻译：正文标着 [to translate]"),
    (r"add it to the (?P<l>\w+) version", "请把它加到 {l} 版本里"),
    (r"add (?P<p>\S+\.md)", "请添加 {p}"),
    (r"run `cloudpeds translate (?P<c>[^`]+)` to copy it from the (?P<l>\w+) version, or fix the wrong one",
     "请运行 `cloudpeds translate {c}` 从 {l} 版本复制，或改正错的那一处"),
    (r"run `cloudpeds translate (?P<c>[^`]+)`: it marks the text \[to translate\] with the new words and the old "
     r"translation", "请运行 `cloudpeds translate {c}`：它会把这段文字标为 [to translate]，并附上新的中文和旧的译文"),
    ("translate each marked text and delete the mark; the page shows a notice until then",
     "请翻译每段标记的文字并删除标记；在此之前页面上会显示提示"),
    ("replace it with the translated text", "请替换为译文"),
    (r"write the real text; `cloudpeds check --strict` and the build refuse placeholders",
     "请写入正文；`cloudpeds check --strict` 和构建都会拒绝占位符"),
    # placeholders, review, doses, thresholds
    ("a placeholder is left in the text", "文字中还有占位符"),
    ("a placeholder is left in this text", "这段文字中还有占位符"),
    (r"write the real text; `cloudpeds check --strict` and `cloudpeds publish` refuse placeholders",
     "请写入真正的文字；`cloudpeds check --strict` 和 `cloudpeds publish` 不接受占位符"),
    (r"the review was due on (?P<d>\S+)", "复审应在 {d} 完成"),
    ("review the chapter and update last_reviewed and next_review_due",
     "请复审本章节，并更新 last_reviewed 和 next_review_due"),
    ("a dose has route, interval, maximum and source, or it is not given",
     "剂量必须写明途径、间隔、最大量和出处，否则不能给出"),
    ("this recommendation states a dose but cites no source", "这条建议给出了剂量，但没有引用出处"),
    (r"add `sources:` with the reference that gives this dose", "请添加 `sources:`，写明给出这个剂量的参考文献"),
    (r"(?P<id>\S+): the text states a per-kg dose \((?P<d>[^)]*)\) that is not a structured dose, so it has no "
     r"checked maximum, route or interval",
     "{id}：文字中写了按体重计算的剂量（{d}），但它不是结构化的剂量，因此最大量、途径和间隔都没有经过检查"),
    (r"the text states a dose \((?P<d>[^)]*)\) where no source can be cited",
     "文字中写了剂量（{d}），但这里无法引用出处"),
    (r"give the dose in a recommendation or pre-referral step with `sources:`, and refer to it from the text",
     "请在带 `sources:` 的建议或转诊前处理中给出剂量，并在文字中引用它"),
    (r"add it to `doses:` \(with max_single\) and name it here with `dose: ID`",
     "请把它加到 `doses:`（写明 max_single），并在这里用 `dose: ID` 引用"),
    (r"dose (?P<v>'[^']*') has no dose for ages (?P<g>\S+), inside its ages (?P<a>\S+)",
     "剂量 {v} 在它的年龄范围 {a} 内缺少 {g} 的剂量"),
    (r"dose (?P<v>'[^']*'): (?P<d>.+) is above its max_single (?P<m>\S+)", "剂量 {v}：{d} 超过了它的 max_single {m}"),
    (r"dose (?P<v>'[^']*') is given for ages (?P<a>\S+) but its source covers (?P<s>\S+) only",
     "剂量 {v} 用于 {a}，但它的出处只涵盖 {s}"),
    (r"dose (?P<v>'[^']*') has no (?P<what>max_24h or max_doses_24h|max_single)", "剂量 {v} 没有 {what}"),
    (r"lower the band's dose or correct the maximum", "请降低该年龄段的剂量，或改正最大量"),
    (r"narrow `ages`, cite a source that covers them, or write a `reason` \(shown to readers\)",
     "请缩小 `ages`、引用涵盖这些年龄的出处，或写一个 `reason`（会显示给读者）"),
    (r"the threshold says (?P<t>.+) but the text does not say (?P<n>\S+)", "阈值是 {t}，但文字里没有写 {n}"),
    (r"the text and the threshold must say the same number; fix the wrong one",
     "文字和阈值必须写同一个数字；请改正错的那一处"),
    (r"unit (?P<u>'[^']*') does not fit (?P<m>\w+); use (?P<ok>.+)", "单位 {u} 不适用于 {m}；请用 {ok}"),
    (r"unknown finding (?P<v>'[^']*')", "未知的临床所见 {v}"),
    (r"unknown threshold table (?P<v>'[^']*')", "未知的阈值表 {v}"),
    (r"see (?P<p>\S+) for codes, units and ranges", "代码、单位和范围见 {p}"),
    (r"tables are listed in (?P<p>\S+)", "阈值表列在 {p} 中"),
    # urgency scale and flowchart logic
    (r"node (?P<n>\S+) is drawn as (?P<l_a>.+?) but links to referral (?P<r>'[^']*'), which is (?P<l_b>.+)",
     "节点 {n} 画成了 {l_a}，但它链接的转诊 {r} 是 {l_b}"),
    (r"node (?P<n>\S+) says \"(?P<w>[^\"]+)\" but links (?P<r>'[^']*'), whose urgency is (?P<u>\S+)",
     "节点 {n} 写的是“{w}”，但它链接的 {r} 的紧急程度是 {u}"),
    (r"make the node `(?P<k>[^`]+)`, or link it to a referral of its own level",
     "请把节点改为 `{k}`，或把它链接到同一级别的转诊"),
    (r"make the words and the referral's urgency agree", "请让文字与转诊的紧急程度一致"),
    (r"red danger sign (?P<v>'[^']*') is routed only to (?P<l_a>.+?) referrals; red calls for (?P<l_b>.+)",
     "红色危险征象 {v} 只被转到 {l_a} 的转诊；红色要求 {l_b}"),
    (r"red danger sign (?P<v>'[^']*') is routed to no referral; red calls for (?P<l_b>.+)",
     "红色危险征象 {v} 没有转到任何转诊；红色要求 {l_b}"),
    (r"red danger sign (?P<v>'[^']*') leads to no referral node in the flow chart",
     "红色危险征象 {v} 在流程图中没有通向任何转诊节点"),
    (r"add it to the `signs` of the emergency referral, or write `triage_reason:` saying why it is referred at "
     r"another level \(readers see the reason beside the sign\)",
     "请把它加到急诊转诊的 `signs` 中，或写 `triage_reason:` 说明为什么按其他级别转诊（读者会在征象旁看到这个理由）"),
    (r"red sign (?P<v>'[^']*') at ages (?P<a>\S+): the flowchart path (?P<p>.+) ends in (?P<k>\S+) \(node "
     r"(?P<n>\S+)\), not in an emergency disposition",
     "红色征象 {v}（年龄 {a}）：流程图路径 {p} 止于 {k}（节点 {n}），而不是急诊处置"),
    (r"link the sign to the first decision that checks it \(click NODE \"(?P<h>[^\"]+)\"\) and send its Yes exit "
     r"to an emergency node, before any node that can end at home",
     "请把这个征象链接到检查它的第一个判断节点（click NODE \"{h}\"），并让它的“是”出口通向急诊节点，"
     "放在任何可能以居家结束的节点之前"),
    (r"node (?P<n>\S+) \((?P<k>[a-z-]+)\) is reachable at ages (?P<a>\S+) by the path (?P<p>.+), but no green "
     r"sign applies at these ages \(green signs cover: (?P<c>.*)\)",
     "节点 {n}（{k}）在年龄 {a} 可经路径 {p} 到达，但这些年龄没有适用的绿色征象（绿色征象涵盖：{c}）"),
    (r"ask about the age or the young-infant signs before this node, or link a decision on the way to a sign whose "
     r"age bands exclude these ages",
     "请在这个节点之前询问年龄或小婴儿征象，或在路径上的判断节点链接一个年龄段不包括这些年龄的征象"),
    (r"add `click NODE \"(?P<h>[^\"]+)\"` to the node that checks it, on a path to a referral",
     "请在检查它的节点上加 `click NODE \"{h}\"`，并放在通向转诊的路径上"),
    # case tests
    (r"case (?P<c>'[^']*'): expected (?P<t_what>triage|urgency|referral|signs) (?P<e>.+), got (?P<g>.+)",
     "病例 {c}：预期 {t_what} 为 {e}，实际为 {g}"),
    ("triage", "分诊"), ("urgency", "紧急程度"), ("referral", "转诊"), ("signs", "征象"),
    (r"the evaluator met signs: (?P<s>[^;]+); path (?P<p>[^;]+?)(?:; not evaluable \(no findings or thresholds\): "
     r"(?P<ne>.+))?", "评估器满足的征象：{s}；路径 {p}{ne}"),
    (r"the file is named (?P<f>\S+) but tests chapter (?P<c>'[^']*')", "文件名是 {f}，但测试的是章节 {c}"),
    (r"name it (?P<f>\S+)", "请命名为 {f}"),
    ("test the ages the chapter covers", "请测试本章节涵盖的年龄"),
    # synonyms
    (r"(?P<v>'[^']*') is already in the group on line (?P<n>\d+)", "{v} 已在第 {n} 行的组中"),
    ("a term belongs to one group; merge the groups", "一个词只能属于一个组；请合并这些组"),
    ("a group is a list of at least two terms", "一个组是至少包含两个词的列表"),
    (r"write - \[(?P<e>[^\]]*)\]", "请写 - [{e}]"),
    (r"write groups: followed by one list of terms per line, e\.g\. (?P<e>.+)",
     "请先写 groups:，然后每行一个词列表，例如 {e}"),
    # courses, captions, media
    (r"(?P<v>'[^']*') is outside the project", "{v} 在项目文件夹之外"),
    ("keep source videos inside the project folder", "请把源视频放在项目文件夹内"),
    (r"(?P<v>'[^']*') is a folder, not a video file", "{v} 是一个文件夹，不是视频文件"),
    ("give the path of the video file itself", "请写视频文件本身的路径"),
    (r"the source video (?P<v>'[^']*') does not exist", "源视频 {v} 不存在"),
    (r"the source video (?P<v>'[^']*') is empty \(0 bytes\)", "源视频 {v} 是空的（0 字节）"),
    ("copy the real video file again", "请重新复制真正的视频文件"),
    (r"check the path \(relative to the project folder\); run `make site` to generate the sample videos",
     "请检查路径（相对于项目文件夹）；运行 `make site` 生成示例视频"),
    (r"the videos were not checked: (?P<why>.+)", "视频没有检查：{why}"),
    (r"(?P<v>'[^']*') is not a time; write M:SS or H:MM:SS \(e\.g\. (?P<e>[^)]+)\)",
     "{v} 不是时间；请写成 M:SS 或 H:MM:SS（例如 {e}）"),
    ("the cue ends before it starts", "字幕条的结束早于开始"),
    ("swap or fix the two times", "请交换或改正这两个时间"),
    # content pages, HTML
    (r"(?P<v>'[^']*') is not a web address", "{v} 不是网址"),
    (r"write the whole address, starting with https:// \(or http://\)",
     "请写完整的网址，以 https://（或 http://）开头"),
    ("<script> is not allowed: scripts do not run in content", "不允许 <script>：内容中不运行脚本"),
    ("a javascript: URL in a link is not allowed", "链接中不允许 javascript: 地址"),
    (r"contains HTML markup; write plain text \(use words, not tags\)",
     "含有 HTML 标记；请写纯文字（用文字，不用标签）"),
    (r"content may use Markdown and the HTML listed in the editor's guide \(\"HTML in content\"\); links may be "
     r"relative, http\(s\):, mailto: or tel:",
     "内容可以使用 Markdown 和编辑指南（“内容中的 HTML”）列出的 HTML；链接可以是相对地址、http(s):、mailto: 或 tel:"),
    ("add a title", "请添加标题"),
    (r"create it \(see the editor's guide\)", "请创建它（见编辑指南）"),
    # editions
    (r"(?P<v>'[^']*') is not a valid edition version", "{v} 不是有效的版本号"),
    (r"the version names the edition's folder: letters, digits, dots, hyphens and underscores, starting with a "
     r"letter or digit, e\.g\. (?P<e>.+)",
     "版本号就是该版本的文件夹名：字母、数字、点、连字符和下划线，以字母或数字开头，例如 {e}"),
    (r"(?P<v>'[^']*') is used by the releases folder itself; choose another version",
     "{v} 已被发布文件夹本身使用；请换一个版本号"),
    ("two editions have the same version; give each edition its own", "两个版本的版本号相同；请给每个版本不同的版本号"),
    # flowcharts
    ("the chart has no nodes", "流程图没有节点"),
    ("add at least a start and a disposition", "请至少添加一个起点和一个处置"),
    (r"node (?P<n>\S+) is used but never defined", "节点 {n} 被使用了，但从未定义"),
    (r"give it a text once, e\.g\. (?P<e>.+)", "请给它写一次文字，例如 {e}"),
    (r"node (?P<n>\S+) cannot be reached from the start \((?P<s>[^)]*)\)", "从起点（{s}）无法到达节点 {n}"),
    ("connect it with an edge, or remove it; the first node is the start",
     "请用箭头连接它，或删除它；第一个节点是起点"),
    (r"the edge (?P<e>.+) closes a cycle", "箭头 {e} 形成了循环"),
    ("a decision chart must not loop; end the path in a disposition", "决策流程图不能循环；请让路径以处置结束"),
    (r"decision (?P<n>\S+) needs at least two exits, each with a label \(has (?P<a>\d+), (?P<b>\d+) labelled\)",
     "判断节点 {n} 至少需要两个出口，每个都要有标签（现有 {a} 个，其中 {b} 个有标签）"),
    (r"write (?P<a>\S+ -->\|是\| …) and (?P<b>\S+ -->\|否\| …)", "请写 {a} 和 {b}"),
    (r"the path ends at (?P<n>\S+) \((?P<k>[^)]*)\) without a disposition", "路径止于 {n}（{k}），但没有处置"),
    (r"end it in a node of kind (?P<k>.+) \(e\.g\. (?P<e>\S+)\)", "请以下列类型之一的节点结束：{k}（例如 {e}）"),
    (r"node (?P<n>\S+) links to unknown item (?P<v>'[^']*')", "节点 {n} 链接到未知条目 {v}"),
    ("link a danger sign, referral or recommendation id of this chapter", "请链接本章节的危险征象、转诊或建议的 id"),
    (r"the chart has more than (?P<n>\d+) nodes or (?P<m>\d+) arrows \((?P<c>[^)]*)\)",
     "流程图超过 {n} 个节点或 {m} 个箭头（{c}）"),
    ("split it into several charts; a phone cannot show one this large", "请拆分成几个流程图；手机无法显示这么大的图"),
    ("the chart is empty", "流程图是空的"),
    (r"start with `flowchart TD`", "请以 `flowchart TD` 开头"),
    (r"expected `flowchart TD` or `flowchart LR`, found (?P<v>.+)",
     "应为 `flowchart TD` 或 `flowchart LR`，实际为 {v}"),
    (r"`graph` is the old keyword", "`graph` 是旧的关键字"),
    (r"write `flowchart TD`", "请写 `flowchart TD`"),
    (r"direction (?P<v>'[^']*') is not supported", "不支持方向 {v}"),
    (r"use TD \(default\) or LR", "请用 TD（默认）或 LR"),
    (r"(?P<f>.+) are not supported", "不支持{f}"),
    (r"keep the chart to nodes and edges", "流程图中只写节点和箭头"),
    (r"unknown node kind (?P<v>'[^']*')", "未知的节点类型 {v}"),
    (r"kinds: (?P<k>.+)", "类型：{k}"),
    (r"cannot read (?P<v>'.*')", "无法读取 {v}"),
    (r"write `class NODE1,NODE2 kind`", "请写 `class NODE1,NODE2 kind`"),
    (r"only links are supported in `click`", "`click` 中只支持链接"),
    (r"write `click NODE \"#item-id\"`", "请写 `click NODE \"#item-id\"`"),
    (r"link (?P<v>'[^']*') is not an item of this chapter", "链接 {v} 不是本章节的条目"),
    (r"use `-->` or `-->\|label\|`", "请用 `-->` 或 `-->|label|`"),
    (r"`&` \(several nodes at once\) is not supported", "不支持 `&`（一次写多个节点）"),
    ("this edge goes nowhere", "这个箭头没有指向任何节点"),
    ("name the node it leads to after the arrow", "请在箭头后写出它指向的节点"),
    (r"expected a node id, found (?P<v>.+)", "应为节点 id，实际为 {v}"),
    ("node ids are letters, digits and _", "节点 id 由字母、数字和 _ 组成"),
    (r"use \[text\], \(text\), \{text\} or \(\(text\)\)", "请用 [文字]、(文字)、{{文字}} 或 ((文字))"),
    (r"node (?P<n>\S+) already has the text (?P<v>.+)", "节点 {n} 已经有文字 {v}"),
    ("unclosed quote in node text", "节点文字中的引号没有闭合"),
    (r"close the text with \"", "请用 \" 结束文字"),
    (r"expected (?P<v>'[^']*') after the quoted text", "引号内的文字后面应为 {v}"),
    (r"node text is not closed with (?P<v>'[^']*')", "节点文字没有用 {v} 结束"),
    (r"add (?P<v>'[^']*') after the text", "请在文字后加 {v}"),
    ("empty node text", "节点文字是空的"),
    ("write what the step says", "请写出这一步的内容"),
    (r"HTML in node text is not supported \(only <br>\)", "节点文字中不支持 HTML（只允许 <br>）"),
    ("HTML in an edge label is not supported", "箭头标签中不支持 HTML"),
    ("write plain text", "请写纯文字"),
    ("unclosed edge label", "箭头标签没有闭合"),
    (r"write -->\|label\|", "请写 -->|标签|"),
    ("an edge label must end with -->", "箭头标签必须以 --> 结束"),
    (r"write -- label --> or -->\|label\|", "请写 -- 标签 --> 或 -->|标签|"),
    (r"expected an edge \(-->\), found (?P<v>.+)", "应为箭头（-->），实际为 {v}"),
    # captions
    ("a WebVTT file starts with the line WEBVTT", "WebVTT 字幕文件必须以一行 WEBVTT 开头"),
    ("add WEBVTT as the first line", "请在第一行写 WEBVTT"),
    (r"this looks like a cue timing but has no --> : (?P<v>.+)", "这一行像是字幕时间，但没有 -->：{v}"),
    (r"write HH:MM:SS\.mmm --> HH:MM:SS\.mmm \(two hyphens and >\); browsers drop the whole cue otherwise",
     "请写 HH:MM:SS.mmm --> HH:MM:SS.mmm（两个连字符加 >）；否则浏览器会丢掉整条字幕"),
    (r"HTML in a caption is not allowed: (?P<v>.+)", "字幕中不允许 HTML：{v}"),
    (r"captions are text; WebVTT allows only (?P<t>.+) and timestamps", "字幕是文字；WebVTT 只允许 {t} 和时间戳"),
    (r"cannot read the cue timing (?P<v>'.*')", "无法读取字幕时间 {v}"),
    (r"write HH:MM:SS\.mmm --> HH:MM:SS\.mmm \(hours optional\)", "请写 HH:MM:SS.mmm --> HH:MM:SS.mmm（小时可省略）"),
    ("cues must be in time order", "字幕条必须按时间顺序排列"),
    ("move this cue after the earlier one", "请把这条字幕移到较早的那条之后"),
    ("the captions file has no cues", "字幕文件中没有字幕条"),
    ("add cues: a timing line, then the text", "请添加字幕条：先写一行时间，再写文字"),
    # more YAML and reading problems
    (r"an alias \(\*name\) may only repeat a value defined before it, not one it is part of",
     "别名（*名称）只能重复它前面已定义的值，不能重复包含它自己的值"),
    (r"an alias refers to the value that contains it \(a recursive alias\)", "别名指向了包含它自己的值（递归别名）"),
    (r"(?:malformed YAML: )?while parsing a flow node did not find expected node content",
     "方括号或花括号里缺少内容（常见原因：多了一个逗号，或括号没有配对）"),
    (r"while parsing a flow (?:sequence|mapping) did not find expected ',' or '[\]}]'",
     "方括号或花括号里的各项之间要用逗号分隔，并且括号要配对"),
    (r"cannot be read as UTF-8 text: 'utf-8' codec can't decode byte (?P<b>0x[0-9a-f]+) in position (?P<n>\d+): "
     r"invalid (?:start|continuation) byte", "无法按 UTF-8 文本读取：第 {n} 个字节（{b}）不是 UTF-8"),
    (r"the file is a binary file, not text: byte (?P<b>0x[0-9A-Fa-f]+) cannot be read as UTF-8",
     "这是二进制文件，不是文本：字节 {b} 无法按 UTF-8 读取"),
    ("save it as UTF-8 text", "请保存为 UTF-8 文本"),
    (r"add (?P<v>'[^']*') after the text", "请在文字后加 {v}"),
    (r"(?P<n>\d+) \"(?P<t_what>[^\"]+)\" error\(s\) that follow from this are not shown: fix this first",
     "由此引起的 {n} 个“{t_what}”错误未列出：请先修正这一处"),
    # loaders and validators (found by scanning the sources for messages)
    (r"cannot read the file: (?P<e>.+)", "无法读取文件：{e}"),
    (r"(?P<v>'[^']*') cannot be read as (?P<t>\w+) \((?P<e>.*)\)", "{v} 无法作为 {t} 读取（{e}）"),
    ("write a plain value", "请写一个普通的值"),
    (r"the build made edition (?P<a>\S+), not (?P<b>\S+); nothing was published",
     "构建出的版本是 {a}，不是 {b}；没有发布任何内容"),
    (r"set `baseline` to the editions/snapshot\.json of a published edition",
     "请把 `baseline` 设为某个已发布版本的 editions/snapshot.json"),
    (r"connect nodes with --> or -->\|label\|", "请用 --> 或 -->|标签| 连接节点"),
    ("the first line of a chart names its direction", "流程图的第一行写明方向"),
    ("write one edge per line", "每行写一个箭头"),
    (r"write `click NODE \"#item-id\"` with a danger-sign, referral or recommendation id",
     "请写 `click NODE \"#item-id\"`，并用危险征象、转诊或建议的 id"),
    ("give each node its text once, then refer to it by id", "每个节点只写一次文字，之后用 id 引用它"),
    (r"red danger sign (?P<v>'[^']*') is routed (?P<w>.+); red calls for (?P<l_b>.+)",
     "红色危险征象 {v} 的转诊是 {w}；红色要求 {l_b}"),
    (r"red sign (?P<v>'[^']*') at ages (?P<a>\S+): the flowchart path (?P<p>.+) ends in (?P<k>\S+) \(node "
     r"(?P<n>\S+)\), not in an? (?P<want>\S+) disposition",
     "红色征象 {v}（年龄 {a}）：流程图路径 {p} 止于 {k}（节点 {n}），而不是 {want} 处置"),
    (r"referral (?P<v>'[^']*') is (?P<u>\S+) but its time frame says (?P<w>.+)",
     "转诊 {v} 是 {u}，但它的时限写的是 {w}"),
    ("make the time frame and the urgency agree", "请让时限与紧急程度一致"),
    (r"the text linking (?P<v>'[^']*') says (?P<w>.+), but the item's level is (?P<l>\S+)",
     "链接 {v} 的文字写的是 {w}，但该条目的级别是 {l}"),
    ("make the words and the data agree", "请让文字与数据一致"),
    (r"unknown measure (?P<v>'[^']*')", "未知的测量项 {v}"),
    (r"list it under `measures:`", "请把它列在 `measures:` 下"),
    (r"(?P<v>'[^']*') is given twice", "{v} 写了两次"),
    ("give each entry one code", "每一项只用一个代码"),
    ("give each medicine one entry", "每种药物只写一项"),
    (r"formulation (?P<v>'[^']*') is given twice", "剂型 {v} 写了两次"),
    ("formulation ids are unique in the file", "剂型 id 在文件中必须唯一"),
    (r"give (?P<m>\S+) as the case's `(?P<f>[^`]+)`, not under measures",
     "请把 {m} 写成病例的 `{f}`，不要写在 measures 下"),
    (r"the file tests the chapter named by `chapter:`", "文件测试的是 `chapter:` 所写的章节"),
    (r"case id (?P<v>'[^']*') is already used in (?P<p>\S+)", "病例 id {v} 已在 {p} 中使用"),
    ("give each case its own id", "每个病例用自己的 id"),
    (r"missing front-end package file(?:\(s\))?:? (?P<f>.+)", "缺少前端软件包文件：{f}"),
    (r"run `npm ci` \(or `make site`, which does it\)", "请运行 `npm ci`（或 `make site`，它会运行 npm ci）"),
    (r"no synonyms file; search will not know 发烧 = 发热", "没有同义词文件；搜索将不知道 发烧 = 发热"),
    (r"create (?P<p>\S+) \(see the editor's guide\)", "请创建 {p}（见编辑指南）"),
    (r"expected a list `groups:`", "应为列表 `groups:`"),
    ("write groups: followed by one list of terms per line", "请先写 groups:，然后每行一个词列表"),
    (r"cannot be read as UTF-8 text: (?P<e>.+)", "无法按 UTF-8 文本读取：{e}"),
    ("export or copy the video again from the original", "请从原始文件重新导出或复制视频"),
    (r"the id (?P<v>'[^']*') differs from the file name (?P<f>'[^']*')", "id {v} 与文件名 {f} 不一致"),
    (r"rename the file to (?P<f>\S+) or change the id", "请把文件重命名为 {f}，或修改 id"),
    (r"lesson id (?P<v>'[^']*') is already used at (?P<at>\S+)", "课 id {v} 已在 {at} 使用"),
    ("lesson ids must be unique across all courses", "课 id 在所有课程中必须唯一"),
    (r"this cue starts after the video ends \((?P<t>[^)]*)\)", "这条字幕在视频结束（{t}）之后才开始"),
    ("fix the timing", "请改正时间"),
    # live sessions (courses/live/*.yml)
    (r"(?P<v>'[^']*') is not a date and time; write YYYY-MM-DD HH:MM \(e\.g\. (?P<e>[^)]+)\)",
     "{v} 不是日期和时间；请写成 YYYY-MM-DD HH:MM（例如 {e}）"),
    (r"(?P<v>'[^']*') is not a date and time that exists; check the day and the hour",
     "{v} 不是存在的日期和时间；请检查日期和小时"),
    (r"write the local time without an offset \(e\.g\. (?P<e>[^)]+)\) and give the zone in `timezone`",
     "请写当地时间、不带时差（例如 {e}），时区写在 `timezone` 中"),
    (r"(?P<v>'[^']*') is not a duration; write minutes \(90\) or hours:minutes \(1:30\)",
     "{v} 不是时长；请写分钟数（90）或“小时:分钟”（1:30）"),
    (r"(?P<v>'[^']*') is not a time zone; use an IANA name such as Asia/Shanghai",
     "{v} 不是时区；请使用 IANA 时区名，例如 Asia/Shanghai"),
    (r"Input should be greater than (?P<n>\S+)", "应大于 {n}"),
    (r"Input should be less than or equal to (?P<n>\S+)", "应不大于 {n}"),
    (r"(?P<v>'[^']*') is not a web address of a stream", "{v} 不是直播流的网址"),
    (r"write the whole address of the HLS playlist, e\.g\. (?P<e>\S+)", "请写 HLS 播放列表的完整网址，例如 {e}"),
    (r"(?P<v>'[^']*') is not an HLS playlist \(its path does not end in \.m3u8\)",
     "{v} 不是 HLS 播放列表（路径不以 .m3u8 结尾）"),
    (r"give the address of the live or event playlist \(\.m3u8\) of the streaming service",
     "请填写直播服务的直播或事件播放列表（.m3u8）网址"),
    (r"the stream's host (?P<v>'[^']*') is not in allowed_hosts", "直播流的主机 {v} 不在 allowed_hosts 中"),
    (r"add it under `allowed_hosts:` of the cloudpeds/delivery plugin in mkdocs\.yml \(the pages may then load "
     r"from it and the Content-Security-Policy allows it\)",
     "请把它加到 mkdocs.yml 中 cloudpeds/delivery 插件的 `allowed_hosts:` 下（网页随后可从该主机加载，"
     "内容安全策略也允许它）"),
    (r"session id (?P<v>'[^']*') is already used at (?P<at>\S+)", "直播 id {v} 已在 {at} 使用"),
    ("session ids must be unique", "直播 id 必须唯一"),
    (r"the id (?P<v>'[^']*') is already a lesson id \(or the schedule's own name\)",
     "id {v} 已是某一课的 id（或是直播日程页自己的名字）"),
    ("a session's replay is a lesson: give the session an id no lesson uses",
     "直播的回放也是一课：请给直播一个没有课使用的 id"),
    ("markers need a recording", "章节标记需要录像"),
    ("captions need a recording", "字幕需要录像"),
    (r"add `recording:` \(the replay's video\) or remove the markers",
     "请添加 `recording:`（回放视频），或删除章节标记"),
    (r"add `recording:` \(the replay's video\) or remove them", "请添加 `recording:`（回放视频），或删除它们"),
    (r"a chapter file is named ID\.LANG\.md", "章节文件名应为 ID.LANG.md"),
    (r"rename it, e\.g\. (?P<e>\S+); languages: (?P<l>.+)", "请重命名，例如 {e}；语言：{l}"),
    ("the front matter is not closed", "文件头没有结束"),
    (r"end the front matter with a line `---`", "请用一行 `---` 结束文件头"),
    ("the front matter is empty", "文件头是空的"),
    (r"write the chapter's fields between the two `---` lines \(see the editor's guide\)",
     "请在两行 `---` 之间写章节的字段（见编辑指南）"),
    ("the front matter must be a mapping of fields", "文件头必须是“字段: 值”的形式"),
    (r"write `field: value` lines(?: \(see the editor's guide\))?", "请写成“字段: 值”的各行（见编辑指南）"),
    ("the file must be a mapping of fields", "文件必须是“字段: 值”的形式"),
    (r"reference id (?P<v>'[^']*') is already used in another bibliography file",
     "参考文献 id {v} 已在另一个参考文献文件中使用"),
    ("give each reference one id in one file", "每条参考文献只在一个文件中用一个 id"),
    ("the body has a level-1 heading", "正文中有一级标题"),
    (r"the title comes from `title`; start sections with ##", "标题来自 `title`；各节请以 ## 开头"),
    ("the chapter has no flow chart", "本章节没有流程图"),
    (r"end the chapter with its ```flowchart of diagnosis and treatment \(see the editor's guide\)",
     "请在章节末尾写它的诊疗流程图 ```flowchart（见编辑指南）"),
    (r"group id (?P<v>'[^']*') is used twice", "分组 id {v} 用了两次"),
    ("give each group its own id", "每个分组用自己的 id"),
    (r"no (?P<l>\w+) title", "没有 {l} 标题"),
    (r"add `(?P<l>\w+): …` to the title", "请在标题中添加 `{l}: …`"),
    (r"(?P<p>\S+) needs the cloudpeds/manual plugin \(list it first in mkdocs\.yml\)",
     "{p} 需要 cloudpeds/manual 插件（请在 mkdocs.yml 中把它列在最前）"),
    (r"mkdocs\.yml: remove the `(?P<p>[^`]+)` plugin; cloudpeds/search replaces it \(Material's search splits "
     r"Chinese queries wrongly and builds its index on the phone\)",
     "mkdocs.yml：请删除 `{p}` 插件；cloudpeds/search 取代了它"
     "（Material 的搜索会错误地切分中文查询，并在手机上建索引）"),
    (r"the search index could not be built: (?P<e>.+)", "无法构建搜索索引：{e}"),
    (r"the built site cannot be delivered: (?P<e>.+)", "构建好的网站无法交付：{e}"),
    (r"the delivery step failed: (?P<e>.+)", "交付步骤失败：{e}"),
    (r"(?P<p>\S+) would hide the generated page (?P<v>'[^']*'); rename or remove the hand-written file",
     "{p} 会遮住生成的页面 {v}；请重命名或删除这个手写的文件"),
    # more model, clinical and course problems
    (r"list the editions oldest first, with increasing numbers", "请按从旧到新的顺序列出各版本，编号递增"),
    (r"edition dates must not go back in time \(list the editions oldest first\)",
     "版本日期不能倒退（请按从旧到新的顺序列出）"),
    (r"(?P<v>'[^']*') is not an age; write a number and d, w, mo or y, e\.g\. (?P<e>\S+)",
     "{v} 不是年龄；请写数字加 d、w、mo 或 y，例如 {e}"),
    (r"(?P<v>'[^']*') is not an interval; write e\.g\. (?P<e>.+)", "{v} 不是给药间隔；请写例如 {e}"),
    (r"(?P<v>'[^']*') is not an age band; write FROM-TO with units d, w, mo or y, e\.g\. (?P<a>\S+) or (?P<b>\S+)",
     "{v} 不是年龄段；请写成 起-止，单位用 d、w、mo 或 y，例如 {a} 或 {b}"),
    (r"give max_doses_24h so that doses × maximum ≤ max_24h", "请给出 max_doses_24h，使 次数 × 最大量 ≤ max_24h"),
    (r"unknown drug (?P<v>'[^']*')", "未知药物 {v}"),
    (r"measures are listed in (?P<p>\S+)", "测量项列在 {p} 中"),
    (r"groups are listed in (?P<p>\S+)", "分组列在 {p} 中"),
    (r"there is no dose (?P<v>'[^']*') in this chapter's `doses`", "本章节的 `doses` 中没有剂量 {v}"),
    (r"add it to (?P<p>`[^`]+`|\S+\.yml)", "请把它加到 {p}"),
    (r"add a weight band, or narrow `ages` or `min_weight_kg`", "请添加一个体重段，或缩小 `ages` 或 `min_weight_kg`"),
    (r"write every cut-off of the table for the sign's ages in the text, so readers see the same numbers the "
     r"evaluator uses", "请在文字中写出该征象年龄对应的表中每个界值，让读者看到与评估器相同的数字"),
    (r"use one triage for the finding, or give `triage_reason` saying why this chapter differs",
     "同一临床所见请用同一分诊级别，或写 `triage_reason` 说明本章节为何不同"),
    (r"rows of a `by: hours` table go in increasing hours", "`by: hours` 表的各行按小时数递增排列"),
    (r"a liquid needs `step_ml` \(the smallest volume that can be measured\)",
     "液体剂型需要 `step_ml`（能量取的最小体积）"),
    (r"a tablet, suppository or puff needs `split` \(1 = whole units, 0\.5 = halves\)",
     "片剂、栓剂或吸入剂需要 `split`（1 = 整个，0.5 = 半个）"),
    ("expect ids of this chapter", "请写本章节的 id"),
    ("markers must be in time order", "标记必须按时间顺序排列"),
    (r"(?P<v>'[^']*') has no video stream \(audio only\)", "{v} 没有视频画面（只有声音）"),
    ("use a video file", "请使用视频文件"),
    (r"the captions file (?P<v>'[^']*') does not exist inside the project", "项目中不存在字幕文件 {v}"),
    (r"write a WebVTT file and give its path relative to the project", "请写一个 WebVTT 文件，并给出相对于项目的路径"),
    (r"re-export the video \(H\.264/AAC MP4 works everywhere\)", "请重新导出视频（H.264/AAC 的 MP4 到处都能播放）"),
    ("fix the time or the video", "请改正时间或视频"),
    (r"a referral needs at least one danger sign id in `signs` or a `criteria` text",
     "转诊至少需要在 `signs` 中写一个危险征象 id，或写 `criteria` 文字"),
    (r"a practice statement is not graded: set `certainty: not-graded`",
     "实践声明不分级：请设 `certainty: not-graded`"),
    (r"a graded recommendation needs `sources` \(reference ids\)", "分级的建议需要 `sources`（参考文献 id）"),
    (r"give either `table` or `measure`, `op`, `value` and `unit`, not both",
     "请给出 `table`，或给出 `measure`、`op`、`value` 和 `unit`，不要两者都写"),
    (r"a threshold needs `measure`, `op`, `value` and `unit` \(or `table: ID`\)",
     "阈值需要 `measure`、`op`、`value` 和 `unit`（或 `table: ID`）"),
    (r"unknown group (?P<v>'[^']*')", "未知分组 {v}"),
    ("next_review_due is not after last_reviewed", "next_review_due 不晚于 last_reviewed"),
    ("set the date of the next review", "请设置下次审校的日期"),
    ("widen age_range or fix the band", "请扩大 age_range，或改正这个年龄段"),
    ("a chapter cannot be related to itself", "章节不能与自己相关"),
    ("this treatment states a dose but cites no source", "这项处理给出了剂量，但没有引用出处"),
    (r"amber danger sign (?P<v>'[^']*') is not checked in the flow chart", "黄色危险征象 {v} 在流程图中没有被检查"),
    (r"add `click NODE \"(?P<h>[^\"]+)\"` to the node that checks it", "请在检查它的节点上加 `click NODE \"{h}\"`"),
    (r"weight band (?P<a>\S+) kg ends before it starts", "体重段 {a} kg 的结束早于开始"),
    (r"dose (?P<v>'[^']*'): (?P<n>\S+) doses of up to (?P<d>.+) in 24 h exceed max_24h (?P<m>.+)",
     "剂量 {v}：24 小时内 {n} 次、每次最多 {d}，超过了 max_24h {m}"),
    (r"dose (?P<v>'[^']*') has no (?P<what>\S+)", "剂量 {v} 没有 {what}"),
    (r"(?P<v>'[^']*') is not a formulation of (?P<d>\S+)", "{v} 不是 {d} 的剂型"),
    (r"dose (?P<v>'[^']*') has no dose for (?P<w>\S+ kg), a weight of children aged (?P<a>\S+)",
     "剂量 {v} 缺少 {w} 的剂量（这是 {a} 儿童的体重）"),
    (r"sign (?P<v>'[^']*') uses table (?P<t>'[^']*') but its text does not state (?P<n>.+)",
     "征象 {v} 使用了阈值表 {t}，但它的文字没有写 {n}"),
    (r"finding (?P<f>'[^']*') is (?P<a>\S+) in (?P<c1>'[^']*') but (?P<b>\S+) in (?P<c2>'[^']*') \((?P<at>[^)]*)\) "
     r"for ages (?P<ages>.+)", "临床所见 {f} 在 {c1} 中是 {a}，在 {c2}（{at}）中却是 {b}（年龄 {ages}）"),
    (r"unit (?P<u>'[^']*') does not fit (?P<m>\w+)", "单位 {u} 不适用于 {m}"),
    (r"(?P<v>'[^']*') is not given (?P<r>.+)", "{v} 不能经 {r} 给药"),
    (r"its routes: (?P<r>.+)", "它的给药途径：{r}"),
    (r"formulations of (?P<d>\S+): (?P<k>.+)", "{d} 的剂型：{k}"),
    (r"row (?P<n>\S+) needs `(?P<f>[^`]+)` \(the table is `by: (?P<b>[^`]+)`\)",
     "第 {n} 行需要 `{f}`（该表是 `by: {b}`）"),
    (r"(?P<v>'[^']*') is not an? (?P<k>\S+) of chapter (?P<c>\S+)", "{v} 不是章节 {c} 的 {k}"),
    (r"cannot read the source video (?P<v>'[^']*'): (?P<e>.+)", "无法读取源视频 {v}：{e}"),
    (r"the marker at (?P<t>\S+) s is past the end of the video \((?P<d>\S+) s\)",
     "{t} 秒处的标记超过了视频结尾（{d} 秒）"),
    (r"the file is truncated or damaged \((?P<e>.*)\)", "文件不完整或已损坏（{e}）"),
    # MkDocs' own lines around a build
    (r"Building documentation to directory: (?P<p>.+)", "正在构建网站，输出到：{p}"),
    (r"Documentation built in (?P<n>[\d.]+) seconds", "网站构建完成，用时 {n} 秒"),
    ("Cleaning site directory", "正在清理网站文件夹"),
    (r"Aborted with a BuildError!", "构建已中止（原因见上面的错误）"),
    (r"Aborted with (?P<n>\d+) warnings? in strict mode!", "严格模式下有 {n} 个警告，构建已中止"),
    (r"Aborted with (?P<n>\d+) warnings?, (?P<m>\d+) errors? in strict mode!",
     "严格模式下有 {n} 个警告、{m} 个错误，构建已中止"),
    (r"cloudpeds: build failed: (?P<p>\S+) was left unchanged", "cloudpeds：构建失败，{p} 保持不变"),
    (r"build failed: (?P<p>\S+) was left unchanged", "构建失败，{p} 保持不变"),
    (r"cloudpeds: search index written: (?P<n>\d+) files", "cloudpeds：搜索索引已写入，共 {n} 个文件"),
    (r"status is draft \(set trial or current when it is finished\)",
     "status 还是 draft（完成后请设为 trial 或 current）"),
    (r"a placeholder (?P<m>.+) is left \(write the text\)", "还留有占位符 {m}（请写入正文）"),
    (r"(?P<c>[a-z]{2}/\S+): status is draft", "{c}：status 还是 draft"),
    (r"(?P<c>[a-z]{2}/\S+): a placeholder (?P<m>.+) is left", "{c}：还留有占位符 {m}"),
    # the last resort
    (r"internal error \((?P<e>.*)\); this is a bug in cloudpeds, not in your files\. Please report it to the "
     r"cloudpeds maintainers with the command you ran \(run it again with (?P<env>\S+) to see the traceback\)",
     "内部错误（{e}）：这是 cloudpeds 的程序错误，不是您的文件有问题。请把您运行的命令报告给 cloudpeds 维护人员"
     "（设置 {env} 再运行一次可以看到详细的出错位置）"),
    ("missing", "缺失"),
    # publish, new, translate, build reports
    (r"the (?P<t_what>manual|courses|editions) (?:has|have) errors; nothing was written to the site:(?P<rest>\n.*)?",
     "{t_what}有错误；网站没有写入任何内容：{rest}"),
    ("manual", "手册"), ("courses", "课程"), ("editions", "版本"),
    (r"the editions file has errors; nothing was published:(?P<rest>\n.*)?",
     "版本文件有错误；没有发布任何内容：{rest}"),
    (r"(?P<p>\S+): there is no edition (?P<v>'[^']*') \(editions: (?P<k>[^)]*)\); add it to (?P<p2>\S+) first",
     "{p}：没有版本 {v}（已有版本：{k}）；请先把它加到 {p2}"),
    (r"(?P<a>\S+) is not the `(?P<l>[^`]+)` alias \(a symlink\) the publish writes: move it away, then publish again\. "
     r"Nothing was changed", "{a} 不是发布时写入的 `{l}` 别名（符号链接）：请把它移走，然后重新发布。没有改动任何内容"),
    (r"(?P<t>\S+): edition (?P<v>\S+) \((?P<label>[^)]*)\) is already published, and a published edition never "
     r"changes; nothing was changed\. To correct it, add the next edition to (?P<p>\S+) and publish that",
     "{t}：版本 {v}（{label}）已经发布，已发布的版本不会再改动；没有改动任何内容。"
     "如需更正，请在 {p} 中添加下一个版本并发布它"),
    (r"(?P<p>\S+): the working copy is edition (?P<w>\S+) \(the last one listed\), not (?P<v>\S+); only the working "
     r"copy can be published\. Nothing was changed",
     "{p}：工作副本是版本 {w}（列出的最后一个），不是 {v}；只能发布工作副本。没有改动任何内容"),
    (r"the working copy is not ready, nothing was published \(finish these first; --allow-warnings does not cover "
     r"them\):(?P<rest>\n.*)?",
     "工作副本还没有准备好，没有发布任何内容（请先完成以下各项；--allow-warnings 不适用于它们）：{rest}"),
    (r"the build of edition (?P<v>\S+) failed \(see above\); nothing was published\. If it stopped only on "
     r"warnings, fix them, or publish with --allow-warnings once a reviewer has accepted each one",
     "版本 {v} 构建失败（见上文）；没有发布任何内容。如果只是因为警告而停止，请修正它们，"
     "或在审阅人逐条认可后用 --allow-warnings 发布"),
    (r"these chapters are not ready, nothing was published \(finish them, or remove them from the working copy\):"
     r"(?P<rest>\n.*)?", "这些章节还没有准备好，没有发布任何内容（请完成它们，或从工作副本中移除）：{rest}"),
    (r"(?P<t>\S+): another publish of edition (?P<v>\S+) finished first; nothing was changed",
     "{t}：另一个版本 {v} 的发布先完成了；没有改动任何内容"),
    (r"(?P<p>\S+): (?P<e>.+); nothing was changed", "{p}：{e}；没有改动任何内容"),
    (r"the id has (?P<n>\d+) characters, more than (?P<m>\d+) \(MAX_SLUG\): it names the file, every item id and "
     r"the page address; choose a short one, e\.g\. (?P<e>\S+)",
     "id 有 {n} 个字符，超过 {m}（MAX_SLUG）：它会用作文件名、每个条目 id 和网页地址；请选一个短的，例如 {e}"),
    (r"(?P<v>'[^']*') is not a valid id: use lowercase letters, digits and hyphens, e\.g\. (?P<e>\S+)",
     "{v} 不是有效的 id：只能用小写字母、数字和连字符，例如 {e}"),
    (r"(?P<p>.+) already exists; nothing was written \(choose another id\)",
     "{p} 已存在；没有写入任何内容（请换一个 id）"),
    (r"(?P<p>\S+) does not exist \(write the (?P<l>\w+) version first\)", "{p} 不存在（请先写 {l} 版本）"),
    (r"(?P<p>\S+): no front matter between two --- lines; run `cloudpeds check` first",
     "{p}：两行 --- 之间没有文件头；请先运行 `cloudpeds check`"),
    (r"(?P<p>\S+): the front matter is not valid YAML; run `cloudpeds check` first",
     "{p}：文件头不是有效的 YAML；请先运行 `cloudpeds check`"),
    (r"(?P<p>\S+): the front matter is not a mapping; run `cloudpeds check` first",
     "{p}：文件头不是“字段: 值”的形式；请先运行 `cloudpeds check`"),
    ("manual and courses OK: no problems found", "手册和课程检查通过：没有发现问题"),
    (r"Built (?P<p>\S+)", "已构建 {p}"),
    (r"Wrote (?P<p>\S+): (?P<a>\d+) pages, (?P<e>\d+) entries, (?P<r>\d+) redirects, (?P<m>[\d.]+) MB \(open it in "
     r"Kiwix, or serve it with: kiwix-serve (?P<q>\S+)\)",
     "已写入 {p}：{a} 个页面、{e} 个条目、{r} 个重定向，{m} MB（用 Kiwix 打开，或用 kiwix-serve {q} 提供服务）"),
    (r"(?P<f>\S+): --site (?P<s>\S+): this version cannot build member sites; build without --site",
     "{f}：--site {s}：此版本不能构建成员单位的站点；请不带 --site 构建"),
    (r"the manual has errors; no ZIM was written:", "手册有错误，未写入 ZIM 文件："),
    (r"(?P<f>\S+): site_url is not set, and FHIR canonical URLs are built from it; set site_url in mkdocs\.yml or "
     r"pass --site-url https://…",
     "{f}：未设置 site_url，而 FHIR 规范 URL 由它生成；请在 mkdocs.yml 中设置 site_url，或传入 --site-url https://…"),
    (r"Wrote (?P<n>\d+) FHIR files into (?P<p>\S+) \(bundles: (?P<b>.+)\)",
     "已把 {n} 个 FHIR 文件写入 {p}（Bundle：{b}）"),
    (r"cloudpeds build: ProperDocs is not installed; to fix it, run `pip install properdocs` or build with "
     r"--engine mkdocs",
     "cloudpeds build：未安装 ProperDocs；请运行 `pip install properdocs`，或用 --engine mkdocs 构建"),
    (r"(?P<loc>\S+:\d+(?::\d+)?): (?P<t_m>.+)", "{loc}: {t_m}"),
    # assess
    (r"(?P<p>\S+) is missing or has errors \(run `cloudpeds check`\)",
     "{p} 不存在或有错误（请运行 `cloudpeds check`）"),
    (r"there is no chapter (?P<c>'[^']*') in (?P<l>\w+); chapters: (?P<k>.*)", "{l} 中没有章节 {c}；已有章节：{k}"),
    (r"(?P<o>--\S+): (?P<m>\S+) is not a measure of the vocabulary", "{o}：{m} 不是词表中的测量项"),
    (r"unknown finding (?P<v>'[^']*') \(codes are listed in (?P<p>\S+)\)", "未知的临床所见 {v}（代码列在 {p} 中）"),
    (r"age (?P<a>\S+) is outside the (?P<c>\S+) chapter's age range (?P<r>\S+)",
     "年龄 {a} 超出了 {c} 章节的年龄范围 {r}"),
    (r"unknown measure (?P<v>'[^']*'); known: (?P<k>.*)", "未知的测量项 {v}；已知：{k}"),
    (r"(?P<m>\S+): (?P<v>'[^']*') is not a number", "{m}：{v} 不是数字"),
    (r"(?P<m>\S+): (?P<v>'[^']*') is not a number with an optional unit \(e\.g\. (?P<e>[^)]*)\)",
     "{m}：{v} 不是数字（可带单位，例如 {e}）"),
    (r"(?P<m>\S+) (?P<v>\S+) is impossible \(plausible range (?P<r>.*)\)", "{m} {v} 不可能（合理范围 {r}）"),
    (r"the following arguments are required: (?P<a>.+)", "缺少必需的参数：{a}"),
    (r"argument (?P<a>\S+): invalid choice: (?P<v>\S+) \(choose from (?P<c>.*)\)",
     "参数 {a}：无效的选择 {v}（可选：{c}）"),
    (r"argument (?P<a>\S+): expected one argument", "参数 {a}：需要一个值"),
    (r"unrecognized arguments: (?P<a>.+)", "无法识别的参数：{a}"),
    (r"Wrote (?P<p>\S+)", "已写入 {p}"),
    (r"Fill in every 【待填写】 / \[TO FILL IN\], set the status, then run `cloudpeds check`; preview with "
     r"`make serve`\.\nWrite the Chinese file first; then `cloudpeds translate (?P<c>\S+)` fills the English "
     r"file's numbers and ids and marks its texts \[to translate\]\.",
     "请填写每一处【待填写】/ [TO FILL IN]，设置 status，然后运行 `cloudpeds check`；用 `make serve` 预览。\n"
     "先写中文文件；然后 `cloudpeds translate {c}` 会填好英文文件中的数字和 id，并把其中的文字标为 [to translate]。"),
    (r"Put each lesson's video where `source` says, fill in the placeholders, then run `cloudpeds check`\.",
     "请把每课的视频放到 `source` 所写的位置，填写占位内容，然后运行 `cloudpeds check`。"),
    (r"(?P<w>Wrote|Updated) (?P<p>\S+): every number, id and code copied from the (?P<l>\w+) version; "
     r"(?P<k>\d+) text\(s\) kept, (?P<m>\d+) marked \[to translate\]\.",
     "{w} {p}：所有数字、id 和代码都已从 {l} 版本复制；保留 {k} 段文字，{m} 段标为 [to translate]。"),
    (r"Translate each marked text and delete the mark\. Until then `cloudpeds check` warns, the page shows a "
     r"notice, and `--strict` and `publish` refuse it\.",
     "请翻译每段标记的文字并删除标记。在此之前 `cloudpeds check` 会给出警告，页面上会显示提示，"
     "`--strict` 和 `publish` 会拒绝。"),
    (r"Published (?P<e>.+) into (?P<p>\S+)", "已把 {e} 发布到 {p}"),
    (r"Serve (?P<p>\S+) as it is: its index\.html opens the latest edition\.",
     "直接发布 {p} 文件夹即可：其中的 index.html 会打开最新版本。"),
    (r"unknown option (?P<o>\S+) \(see cloudpeds assess --help\)", "未知选项 {o}（见 cloudpeds assess --help）"),
    # consortium member sites (sites/<id>.yml, cloudpeds.members)
    (r"the id (?P<v>'[^']*') differs from the file name (?P<f>'[^']*')", "id {v} 与文件名 {f} 不一致"),
    (r"rename the file to (?P<f>\S+), or set `id: (?P<v>[^`]+)`", "把文件改名为 {f}，或写 `id: {v}`"),
    (r"the logo (?P<v>'[^']*') is not found", "找不到标志图片 {v}"),
    (r"put the picture beside (?P<p>\S+) or give its path from the project folder",
     "把图片放在 {p} 旁边，或写出它相对于项目文件夹的路径"),
    (r"the logo (?P<v>'[^']*') is not SVG or PNG", "标志图片 {v} 不是 SVG 或 PNG"),
    ("save the logo as .svg or .png", "请把标志另存为 .svg 或 .png"),
    (r"(?P<v>'[^']*') is neither a medicine nor a formulation of (?P<p>\S+)",
     "{v} 既不是 {p} 中的药品，也不是其中的剂型"),
    (r"use a medicine id \((?P<e>[^)]*)\) or a formulation id from (?P<p>\S+)",
     "请写药品 id（{e}）或 {p} 中的剂型 id"),
    (r"(?P<v>'[^']*') is not a formulation of (?P<p>\S+)", "{v} 不是 {p} 中的剂型"),
    (r"use a formulation id from (?P<p>\S+)", "请写 {p} 中的剂型 id"),
    (r"(?P<v>'[^']*') is stocked, so it needs no alternative", "{v} 本院有备药，不需要替代方案"),
    (r"remove this alternative, or take the formulation out of `stocked`",
     "请删除这条替代方案，或把该剂型从 `stocked` 中去掉"),
    (r"no danger sign, referral, dose or recommendation has the id (?P<v>'[^']*')",
     "没有任何危险征象、转诊、剂量或推荐意见的 id 是 {v}"),
    (r"copy the item's id from its chapter's front matter", "请从该条目所在章节的前置元数据中复制 id"),
    (r"the manual refers children at level (?P<l>'[^']*') but this member has no route for it: those referral "
     r"cards show no local route",
     "手册有 {l} 级别的转诊，但本成员单位没有该级别的转诊路径：这些转诊卡片不会显示本院路径"),
    (r"add `(?P<l>[a-z-]+):` under `routes` with department, address, phone and hours",
     "请在 `routes` 下添加 `{l}:`，写明接收科室、地址、电话和接诊时间"),
    (r"`routes` needs an `emergency` route \(where a child with a red sign goes\)",
     "`routes` 必须有 `emergency`（紧急）路径：有红色征象的患儿送往何处"),
    (r"(?P<v>'[^']*') is not a phone number: write its digits, with spaces or hyphens between groups if you like "
     r"\(e\.g\. (?P<a>\S+), or (?P<b>\S+)\)",
     "{v} 不是电话号码：请写数字，各组之间可用空格或连字符（例如 {a} 或 {b}）"),
    ("there are no member site files", "没有任何成员单位站点文件"),
    (r"write (?P<p>\S+) for each member \(see the editor's guide\)", "请为每个成员单位写一个 {p}（见编辑指南）"),
    (r"there is no member (?P<v>'[^']*') \(members: (?P<m>[^)]*)\)", "没有成员单位 {v}（现有成员单位：{m}）"),
    (r"write (?P<p>\S+), or use --site all", "请写 {p}，或使用 --site all"),
    ("the member site files have errors; nothing was written", "成员单位站点文件有错误；没有写入任何内容"),
    (r"cloudpeds bundle: --site takes one member's id \(a bundle holds one site\)",
     "cloudpeds bundle：--site 只能写一个成员单位的 id（一个离线包只含一个站点）"),
    (r"cloudpeds publish: --site takes one member's id \(publish each member in turn\)",
     "cloudpeds publish：--site 只能写一个成员单位的 id（请逐个发布各成员单位）"),
    (r"Built (?P<p>\S+) for (?P<n>.+)", "已为 {n} 构建 {p}"),
    (r"(?P<p>\S+): member builds need the cloudpeds/manual and cloudpeds/delivery plugins",
     "{p}：成员单位构建需要 cloudpeds/manual 和 cloudpeds/delivery 插件"),
    (r"the manual was built once in (?P<s>[\d.]+) s; now the member sites",
     "手册已构建一次（{s} 秒）；现在生成各成员单位站点"),
    (r"(?P<m>[a-z0-9-]+): (?P<n>\d+) pages in (?P<s>[\d.]+) s \(derived in (?P<d>[\d.]+) s\)",
     "{m}：{n} 个页面，用时 {s} 秒（其中生成页面 {d} 秒）"),
]

# Quizzes (cloudpeds.courses.quiz).
CATALOG_SOURCE += [
    (r"question id (?P<v>'[^']*') is already used at (?P<at>\S+)", "题目 id {v} 已在 {at} 使用"),
    (r"question ids must be unique across all courses \(learners' answers are kept by id\)",
     "题目 id 在所有课程中必须唯一（学员的答题记录按 id 保存）"),
    (r"choice id (?P<v>'[^']*') is used twice in this question", "选项 id {v} 在本题中用了两次"),
    (r"give each choice its own id \(a, b, c …\)", "请给每个选项一个不同的 id（a、b、c …）"),
    (r"a single-choice question needs exactly one correct choice, this one has (?P<n>\d+)",
     "单选题必须恰好有一个正确选项，本题有 {n} 个"),
    (r"mark one choice `correct: true`, or make it `kind: multiple`",
     "请只给一个选项写 `correct: true`，或改为多选题 `kind: multiple`"),
    ("no choice is marked correct", "没有选项标为正确"),
    (r"mark the right choice\(s\) `correct: true`", "请给正确的选项写 `correct: true`"),
    (r"a case question needs its vignette in `case:`", "病例题需要在 `case:` 中写出病例"),
    (r"describe the child \(age, history, findings\) in `case: \{zh: …, en: …\}`",
     "请在 `case: {{zh: …, en: …}}` 中描述患儿（年龄、病史、体征）"),
    (r"`(?P<f>[a-z]+):` belongs to a case question", "`{f}:` 只能用于病例题"),
    (r"write `kind: case`, or remove it", "请写 `kind: case`，或删除它"),
    (r"the chapter (?P<v>'[^']*') has no flowchart to walk", "章节 {v} 没有可以逐步判断的流程图"),
    (r"name a chapter id whose page has a ```flowchart", "请写一个含有 ```flowchart 流程图的章节 id"),
    (r"the picture (?P<v>'[^']*') does not exist inside the project", "项目中没有图片 {v}"),
    (r"give the path of a PNG, JPEG or WebP file relative to the project folder",
     "请写 PNG、JPEG 或 WebP 图片相对于项目文件夹的路径"),
    (r"the picture (?P<v>'[^']*') is not a PNG, JPEG or WebP file", "图片 {v} 不是 PNG、JPEG 或 WebP 文件"),
    (r"save the picture as PNG, JPEG or WebP", "请把图片另存为 PNG、JPEG 或 WebP"),
    ("the course quiz has no questions", "课程测验没有题目"),
    (r"add questions under `quiz: questions:` or to a lesson's `quiz:`",
     "请在 `quiz: questions:` 下或某节课的 `quiz:` 中添加题目"),
    (r"the manual item (?P<v>'[^']*') changed in this edition; question (?P<q>'[^']*') may be out of date",
     "手册条目 {v} 在本版中已更新；题目 {q} 可能已过时"),
    (r"read the item again and correct the question, its answer or explanation",
     "请重新阅读该条目，修改题目、答案或解析"),
    (r"the course id (?P<v>'[^']*') is the address of the saved-lessons page",
     "课程 id {v} 是“已保存的课程”页面的地址"),
    (r"choose another course id \(and file name\)", "请换一个课程 id（并相应修改文件名）"),
    (r"the lesson id (?P<v>'[^']*') is the address of the course's quiz page", "课的 id {v} 是课程测验页面的地址"),
    ("choose another lesson id", "请换一个课的 id"),
    # pydantic's bounds (a pass mark of 1–100 %)
    (r"Input should be less than or equal to (?P<n>\S+)", "应小于或等于 {n}"),
    (r"Input should be greater than or equal to (?P<n>\S+)", "应大于或等于 {n}"),
    # parent advice (manual/parent_advice.py) and the print editions (cloudpeds pdf)
    ("name the ids of this chapter's danger_signs that the sentence stands for",
     "写出这句话所代表的本章节危险征象（danger_signs）的 id"),
    ("list only ids of this chapter's danger_signs that only a health worker can find",
     "这里只列只有医务人员才能发现的本章节危险征象的 id"),
    (r"the red danger sign (?P<v>'[^']*') is not among the parents' reasons to come back at once",
     "红色危险征象 {v} 不在给家长的“马上回来”理由中"),
    (r"add it to the `signs` of a come_back_now reason \(in words parents use\), or write a new one",
     "把它加到某条 come_back_now 理由的 `signs` 中（用家长听得懂的话），或新写一条"),
    ("use an id from manual/references/", "请使用 manual/references/ 中的 id"),
    (r"a sentence for parents has (?P<n>\d+) characters \(plain words: at most (?P<m>\d+)\): (?P<s>.*)",
     "给家长的一句话有 {n} 个字（通俗用语：最多 {m} 个）：{s}"),
    (r"a sentence for parents has (?P<n>\d+) words \(plain words: at most (?P<m>\d+)\): (?P<s>.*)",
     "给家长的一句话有 {n} 个词（通俗用语：最多 {m} 个）：{s}"),
    ("split it into shorter sentences", "请拆成几个短句"),
    (r"(?P<v>'[^']*') is a clinical term parents may not know", "{v} 是家长可能不懂的医学术语"),
    (r"say it in plain words, e\.g\. (?P<v>'[^']*') \((?P<p>\S+)\)", "请用通俗的话说，例如 {v}（{p}）"),
    (r"the parent advice differs from the (?P<l>\w+) version in its items, signs or sources",
     "家长须知与 {l} 版本的条目、征象或来源不一致"),
    (r"give it the same items in the same order as (?P<p>\S+), with the same `signs` and `sources`",
     "请与 {p} 的条目数量和顺序一致，`signs` 和 `sources` 也相同"),
    (r"warning: (?P<t_m>.+)", "警告：{t_m}"),
    (r"error: (?P<t_m>.+)", "错误：{t_m}"),
    (r"mkdocs\.yml: no site_url: the parent handouts carry no QR code \(set site_url, or pass --site-url, "
     r"to the address the site is served at\)",
     "mkdocs.yml：没有 site_url：家长须知上不印二维码（请把 site_url 设为网站的访问地址，或使用 --site-url）"),
    (r"(?P<p>\S+): page (?P<n>\d+): (?P<e>.+) is cut off \((?P<t_h>.+)\); shorten it or let it wrap \(paper\.css\)",
     "{p}：第 {n} 页：{e} 被截断（{t_h}）；请缩短内容或让它换行（paper.css）"),
    (r"(?P<p>\S+): (?P<c>\S+): the wall chart of (?P<v>'[^']*') does not fit one page even at (?P<s>\d+%) type "
     r"\(shorten its danger signs or referral texts\)",
     "{p}：{c}：{v} 的流程图挂图即使字号缩小到 {s} 也放不进一页（请缩短危险征象或转诊文字）"),
    (r"Wrote (?P<p>\S+) \((?P<n>\d+) pages\)", "已写入 {p}（{n} 页）"),
    (r"cloudpeds pdf: the manual has errors \(above\); nothing was written",
     "cloudpeds pdf：手册有错误（见上）；没有写入任何文件"),
    (r"cloudpeds pdf: no chapter (?P<v>'[^']*') \(see manual/chapters/\)",
     "cloudpeds pdf：没有章节 {v}（见 manual/chapters/）"),
    (r"(?P<p>\S+): member sites are not available in this version of cloudpeds; run cloudpeds pdf without --site",
     "{p}：此版本的 cloudpeds 还不能读取联合体成员站点；请不带 --site 运行 cloudpeds pdf"),
    (r"\[(?P<i>\d+)/(?P<n>\d+)\] (?P<l>\w+) (?P<k>\w+): (?P<t_m>.+)", "[{i}/{n}] {l} {k}：{t_m}"),
    (r"(?P<n>\d+) chapters", "{n} 个章节"),
    ("laying out pages", "排版中"),
    (r"(?P<n>[\d.]+) mm past the right edge", "超出右边缘 {n} mm"),
    (r"(?P<n>[\d.]+) mm past the left edge", "超出左边缘 {n} mm"),
    (r"(?P<n>[\d.]+) mm past the bottom", "超出下边缘 {n} mm"),
    (r"(?P<n>[\d.]+) mm past the (?P<a>right|left) edge, (?P<t_m>.+)", "超出边缘 {n} mm（{a}），{t_m}"),
    (r"writing (?P<p>\S+)", "写入 {p}"),
    (r"(?P<c>[a-z0-9-]+) \((?P<i>\d+)/(?P<n>\d+)\)", "{c}（{i}/{n}）"),
]

# CP204: a value just past a cited source's cut-off meets no sign of the matching colour (one entry per colour).
for _colour, _word in (("red", "红色"), ("amber", "黄色"), ("green", "绿色")):
    _beyond = (r" a (?P<m>[a-z0-9 ]+?) of (?P<v>\S+) (?P<u>\S+) is beyond (?P<src>[\w-]+)'s (?P<tab>[\w-]+) cut-off "
               rf"\((?P<cut>[^)]+)\) but meets no {_colour} sign of this chapter")
    CATALOG_SOURCE += [
        (r"(?P<ch>[a-z0-9-]+): at age (?P<age>\S+(?: days)?)" + _beyond,
         f"{{ch}}：年龄 {{age}} 时 {{m}} 为 {{v}} {{u}}，已超过 {{src}} 的 {{tab}} 界值（{{cut}}），"
         f"但不符合本章任何{_word}征象"),
        (r"(?P<ch>[a-z0-9-]+): at (?P<h>\d+) hours of age" + _beyond,
         f"{{ch}}：出生 {{h}} 小时时 {{m}} 为 {{v}} {{u}}，已超过 {{src}} 的 {{tab}} 界值（{{cut}}），"
         f"但不符合本章任何{_word}征象"),
        (rf"add `thresholds: \[\{{table: (?P<tab>[\w-]+)\}}\]` to the {_colour} sign that covers it \(and state the "
         r"values in its text\)",
         f"请在覆盖这些数值的{_word}征象上加 `thresholds: [{{{{table: {{tab}}}}}}]`（并在其文字中写明数值）"),
    ]


_OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def shown_value(value: object) -> str:
    """A value as a doctor writes it, for a message: ``48`` not ``48.0``, a threshold as ``≥ 48 h``, a
    mapping as ``field: value, …`` rather than a Python dict, ``(none)`` for nothing."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, Mapping):
        if {"op", "value"} <= value.keys():
            op = _OPERATORS.get(str(value["op"]), str(value["op"]))
            return f"{op} {shown_value(value['value'])} {value.get('unit') or ''}".strip()
        text = ", ".join(f"{key}: {shown_value(item)}" for key, item in value.items())
        return text if len(text) <= 80 else text[:77] + "..."
    if isinstance(value, (list, tuple)):
        text = "[" + ", ".join(shown_value(item) for item in value) + "]"
        return text if len(text) <= 80 else text[:76] + "...]"
    return str(value)


#: The folders a build or a publish writes before the rename (``cloudpeds.output``, ``editions.publish``):
#: ``.site.staging-PID``, ``.site.old-PID``, ``releases/.2026.publish-PID``. An editor is shown the folder
#: they asked for.
_STAGING = re.compile(r"(?<![^/\s])\.(?P<name>[^/\s]+?)\.(?:staging|old)-\d+")
_PUBLISHING = re.compile(r"(?<![^/\s])\.(?P<name>[^/\s]+?)\.publish-\d+")


def hide_staging(text: str) -> str:
    """``text`` with every staging folder's name replaced by the name of the folder it becomes."""
    return _PUBLISHING.sub(r"\g<name>", _STAGING.sub(r"\g<name>", text))


def _compile(source: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, re.DOTALL), template) for pattern, template in source]


CATALOG = _compile(CATALOG_SOURCE)


def _level_words(text: str) -> str:
    for english, chinese in _LEVEL_WORDS.items():
        text = re.sub(rf"(?<=\s){re.escape(english)}(?= \()", chinese, text)
    return text


def translate(text: str, lang: str = "zh") -> str:
    """``text`` in ``lang``: the catalog's Chinese for a known English message; anything else unchanged."""
    if lang != "zh" or not text:
        return text
    zh = _lookup(text)
    return text if zh is None else zh


def _lookup(text: str) -> str | None:
    for pattern, template in CATALOG:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = {}
        for name, value in match.groupdict().items():
            value = value or ""
            if name.startswith("t_"):
                value = translate(value)
            elif name.startswith("l_"):
                value = _level_words(value)
            elif name == "ne" and value:
                value = f"；无法评估（没有临床所见或阈值）：{value}"
            elif value in ("none", "(none)"):
                value = "无"
            elif name == "choices":
                value = value.replace(" or ", "、").replace(", ", "、")
            elif name == "rest":
                value = "\n".join(_report_line(line) for line in value.split("\n"))
            parts[name] = value
        if "w" in parts:
            parts["w"] = {"Wrote": "已写入", "Updated": "已更新"}.get(parts["w"], parts["w"])
        return template.format(**parts)
    return None


_REPORT_LINE = re.compile(r"(?P<indent>\s*)(?P<loc>\S+?:\d+:\d+): (?P<severity>error|warning): "
                          r"(?P<code>\[CP\d+\] )?(?P<rest>.+?)(?: \(hint: (?P<hint>.+)\))?")


def _report_line(line: str) -> str:
    """One line of a report inside a message (publish's list of what is not ready): a formatted diagnostic
    (``file:line:col: error: field: message (hint: …)``) or any other message, in Chinese."""
    match = _REPORT_LINE.fullmatch(line)
    if match is None:
        indent = line[: len(line) - len(line.lstrip())]
        return indent + translate(line.lstrip())
    rest, field = match["rest"], ""
    if not is_translated(rest) and ": " in rest:
        field, rest = rest.split(": ", 1)
        field += ": "
    severity = "错误" if match["severity"] == "error" else "警告"
    hint = f"（提示：{translate(match['hint'])}）" if match["hint"] else ""
    return f"{match['indent']}{match['loc']}: {severity}: {match['code'] or ''}{field}{translate(rest)}{hint}"


def is_translated(text: str) -> bool:
    """Whether the catalog knows ``text`` (an empty text needs no translation)."""
    return not text or _lookup(text) is not None


SEVERITY_WORDS = {"zh": {Severity.ERROR: "错误", Severity.WARNING: "警告"}}


def localize(diagnostic: Diagnostic, lang: str) -> Diagnostic:
    """The diagnostic with its message and hint in ``lang``; path, line, field and code unchanged."""
    if lang != "zh":
        return diagnostic
    return replace(diagnostic, message=translate(diagnostic.message), hint=translate(diagnostic.hint))


def format_diagnostic(diagnostic: Diagnostic, lang: str) -> str:
    """``file:line:col: 错误: [CP101] field: 消息（提示：…）`` in Chinese, ``Diagnostic.format()`` in English."""
    if lang != "zh":
        return diagnostic.format()
    d = localize(diagnostic, lang)
    field = f"{d.field}: " if d.field else ""
    hint = f"（提示：{d.hint}）" if d.hint else ""
    code = f"[{d.code}] " if d.code else ""
    return f"{d.path}:{d.line}:{d.col}: {SEVERITY_WORDS['zh'][d.severity]}: {code}{field}{d.message}{hint}"


def format_report(diagnostics: Iterable[Diagnostic], lang: str) -> str:
    """Every diagnostic, one a line, then the count: ``diagnostics.format_report`` in the editor's language."""
    diagnostics = list(diagnostics)
    if lang != "zh":
        from .diagnostics import format_report as english_report

        return english_report(diagnostics)
    lines = [format_diagnostic(d, lang) for d in sorted(diagnostics)]
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    lines.append(f"{errors} 个错误，{len(diagnostics) - errors} 个警告")
    return "\n".join(lines)


def error_report(heading: str, diagnostics: Iterable[Diagnostic], lang: str | None = None) -> str:
    """``heading``, then the report, in ``lang`` (default: the environment's): the MkDocs plugins' PluginError."""
    lang = lang or language_from_env()
    return translate(heading, lang) + "\n" + format_report(diagnostics, lang)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """``diagnostics.format_json`` plus ``message_zh`` and ``hint_zh`` in every entry (English kept in
    ``message`` and ``hint``; a message the catalog does not know is the same in both)."""
    entries = []
    for d in sorted(diagnostics):
        entry = d.as_dict()
        entry["message_zh"], entry["hint_zh"] = translate(d.message), translate(d.hint)
        entries.append(entry)
    return json.dumps(entries, ensure_ascii=False, indent=2)


#: Words allowed to stay in Latin letters inside a Chinese message: field names, units, commands.
_KEPT = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"|\S*[/._:@=#\\]\S*|\[[^\]]*\]|\([^)]*\)|\S*\d\S*")


def untranslated_english(text: str) -> str | None:
    """The first run of three or more English words in ``text`` outside quotes, code, paths and ids
    (what a test reads as "an English sentence left in a Chinese message"), or None."""
    stripped = _KEPT.sub(" ", text)
    match = re.search(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b", stripped)
    return match.group(0) if match else None


class EditorsWords(logging.Filter):
    """A log handler's filter: MkDocs' and the plugins' lines as an editor should read them, without staging
    folder names and in the editor's language. ``cloudpeds build`` puts it on its handler, the manual plugin
    on the handler of ``mkdocs build`` and ``mkdocs serve``."""

    def __init__(self, lang: str | None = None):
        super().__init__()
        self.lang = lang or language_from_env()

    def filter(self, record: logging.LogRecord) -> bool:
        text = hide_staging(record.getMessage())
        record.msg, record.args = translate(text, self.lang), ()
        return True
