"""User-interface strings in every language of the site. Chinese first, English second."""

from __future__ import annotations

from .clinical.urgency import BY_ID, LEVELS, TRIAGE_LEVEL, TRIAGE_WORD

LANGUAGE_NAMES = {"zh": "简体中文", "en": "English"}
#: Material for MkDocs' own translation file for each of our languages.
THEME_LANGUAGE = {"zh": "zh", "en": "en"}

STRINGS: dict[str, dict[str, str]] = {
    "home": {"zh": "首页", "en": "Home"},
    "manual": {"zh": "症状手册", "en": "Symptom manual"},
    "quick": {"zh": "速查", "en": "Quick reference"},
    "about": {"zh": "关于", "en": "About"},
    "danger_signs": {"zh": "先查危险征象", "en": "Check these danger signs first"},
    "danger_signs_lead": {
        "zh": "任一红色征象：立即紧急转诊（征象旁写明理由的除外）。",
        "en": "Any red sign: emergency referral, unless a reason is given beside it.",
    },
    "referral": {"zh": "转诊指征", "en": "When to refer"},
    "recommendations": {"zh": "推荐意见", "en": "Recommendations"},
    "references": {"zh": "参考文献", "en": "References"},
    "review": {"zh": "编写与审校", "en": "Authors and review"},
    "triage_reason": {"zh": "分级理由", "en": "Why this level"},
    "translation.notice": {"zh": "本页翻译未完成或已过时。", "en": "Not fully translated, or out of date."},
    "translation.reference": {"zh": "以中文版为准：", "en": "The Chinese version is the one that counts:"},
    "translation.reference_link": {"zh": "打开中文版", "en": "open the Chinese version"},
    "translation.fields": {"zh": "待翻译或待更新的条目：", "en": "Texts or values still to translate or update:"},
    "referral.target": {"zh": "转往", "en": "Where"},
    "referral.time_frame": {"zh": "时限", "en": "Within"},
    "referral.criteria": {"zh": "指征", "en": "When"},
    "referral.pre_referral": {"zh": "转诊前处理", "en": "Before transfer"},
    "referral.go": {"zh": "转诊", "en": "refer"},
    "strength.strong": {"zh": "强推荐", "en": "Strong"},
    "strength.conditional": {"zh": "弱推荐", "en": "Conditional"},
    "strength.practice-statement": {"zh": "实践声明", "en": "Practice statement"},
    "certainty": {"zh": "证据质量", "en": "Certainty"},
    "certainty.high": {"zh": "高", "en": "high"},
    "certainty.moderate": {"zh": "中", "en": "moderate"},
    "certainty.low": {"zh": "低", "en": "low"},
    "certainty.very-low": {"zh": "极低", "en": "very low"},
    "certainty.not-graded": {"zh": "未分级", "en": "not graded"},
    "status.draft": {"zh": "草稿", "en": "Draft"},
    "status.trial": {"zh": "试行", "en": "Trial"},
    "status.current": {"zh": "现行", "en": "Current"},
    "status.withdrawn": {"zh": "已撤回", "en": "Withdrawn"},
    "withdrawn_notice": {
        "zh": "本章已撤回，请勿用于临床决策。",
        "en": "This chapter has been withdrawn. Do not use it for clinical decisions.",
    },
    "synonyms": {"zh": "又称", "en": "Also called"},
    "ages": {"zh": "适用年龄", "en": "Ages"},
    "authors": {"zh": "编写", "en": "Authors"},
    "reviewers": {"zh": "审校", "en": "Reviewers"},
    "last_reviewed": {"zh": "最近审校", "en": "Last reviewed"},
    "next_review_due": {"zh": "下次审校", "en": "Next review due"},
    "related": {"zh": "相关章节", "en": "Related chapters"},
    "quick.danger_signs": {"zh": "危险征象速查", "en": "Danger signs at a glance"},
    "quick.referrals": {"zh": "转诊指征一览", "en": "All referral indications"},
    "quick.a_z": {"zh": "症状索引（拼音）", "en": "A–Z index"},
    "quick.jump": {"zh": "按章节跳转", "en": "Jump to a chapter"},
    "a_z.see": {"zh": "见", "en": "see"},
    "chapter": {"zh": "章节", "en": "Chapter"},
    "language_switch": {"zh": "切换语言", "en": "Change language"},
    "parents.title": {"zh": "{title}：给家长的建议", "en": "{title}: advice for parents"},
    "parents.description": {"zh": "{title}：在家怎么照顾，什么时候要马上回来（给家长）",
                            "en": "{title}: care at home and when to come back at once (for parents)"},
    "parents.link": {"zh": "给家长的建议（手机页，可打印）", "en": "Advice for parents (phone page, printable)"},
    "parents.come_back_now": {"zh": "出现以下情况，马上回来或打急救电话",
                              "en": "Come back at once, or call an ambulance, if"},
    "parents.call": {"zh": "紧急情况请拨打 120。", "en": "In an emergency call 120."},
    "parents.home": {"zh": "在家这样做", "en": "What to do at home"},
    "parents.avoid": {"zh": "不要这样做", "en": "What not to do"},
    "parents.come_back_anyway": {"zh": "即使没有上面的情况，也要回来复诊", "en": "Come back anyway"},
    "parents.for_clinicians": {"zh": "医务人员版章节", "en": "The chapter for health workers"},
    "sample_disclaimer": {
        "zh": "示例内容，仅供演示本软件，不得用于临床。",
        "en": "Sample content for demonstrating this software. Not for clinical use.",
    },
    "red_signs_count": {"zh": "项红色征象", "en": "red signs"},
    "flowchart": {"zh": "诊疗流程图", "en": "Flow chart"},
    "fc.kind.assess": {"zh": "评估", "en": "Assess"},
    "fc.kind.decision": {"zh": "判断", "en": "Decide"},
    "fc.outline": {"zh": "文字版流程（可打印）", "en": "Text version (printable)"},
    "fc.enlarge": {"zh": "放大查看", "en": "Enlarge"},
    "fc.walk": {"zh": "逐步判断", "en": "Step through"},
    "fc.close": {"zh": "关闭", "en": "Close"},
    "fc.zoom_in": {"zh": "放大", "en": "Zoom in"},
    "fc.zoom_out": {"zh": "缩小", "en": "Zoom out"},
    "fc.back": {"zh": "上一步", "en": "Back"},
    "fc.restart": {"zh": "重新开始", "en": "Restart"},
    "fc.next": {"zh": "下一步", "en": "Next"},
    "fc.path": {"zh": "已走路径", "en": "Path so far"},
    "fc.result": {"zh": "结论", "en": "Outcome"},
    "fc.see_item": {"zh": "查看条目", "en": "See the item"},
    "fc.see_above": {"zh": "见上文", "en": "see above"},
    "search.open": {"zh": "搜索", "en": "Search"},
    "search.label": {"zh": "搜索手册", "en": "Search the manual"},
    "search.placeholder": {"zh": "如 发烧、抽筋、腹泻", "en": "e.g. fever, wheeze"},
    "search.close": {"zh": "关闭", "en": "Close"},
    "search.loading": {"zh": "正在载入索引……", "en": "Loading the index…"},
    "search.none": {"zh": "没有找到结果。试试别的说法，例如“发烧”或“发热”。",
                    "en": "No results. Try other words, e.g. fever."},
    "search.failed": {"zh": "无法载入搜索索引。", "en": "The search index could not be loaded."},
    "search.count": {"zh": "{n} 条结果", "en": "{n} results"},
    "search.fallback": {"zh": "没有找到“{query}”，改为按单字“{chars}”查找：",
                        "en": "Nothing for “{query}”; searched for the characters “{chars}” instead:"},
    "search.az": {"zh": "查看全部章节（A–Z）", "en": "See all chapters (A–Z)"},
    "search.kind.chapter": {"zh": "章节", "en": "Chapters"},
    "search.kind.danger-sign": {"zh": "危险征象", "en": "Danger signs"},
    "search.kind.referral": {"zh": "转诊指征", "en": "Referral"},
    "search.kind.recommendation": {"zh": "推荐意见", "en": "Recommendations"},
    "search.kind.flowchart": {"zh": "流程图", "en": "Flow charts"},
    "search.kind.section": {"zh": "章节内容", "en": "Sections"},
    "search.kind.page": {"zh": "其他页面", "en": "Pages"},
    "search.kind.course": {"zh": "培训课程", "en": "Courses"},
    "search.kind.lesson": {"zh": "视频课程", "en": "Lessons"},
    "courses": {"zh": "视频课程", "en": "Video courses"},
    "course.lessons": {"zh": "课程内容", "en": "Lessons"},
    "course.lecturers": {"zh": "讲者", "en": "Lecturers"},
    "course.audience": {"zh": "对象", "en": "Audience"},
    "course.level": {"zh": "难度", "en": "Level"},
    "course.level.introductory": {"zh": "入门", "en": "Introductory"},
    "course.level.intermediate": {"zh": "进阶", "en": "Intermediate"},
    "course.level.advanced": {"zh": "高级", "en": "Advanced"},
    "course.cme": {"zh": "继续教育学分", "en": "CME credit"},
    "course.hours": {"zh": "学时", "en": "hours"},
    "course.hour": {"zh": "学时", "en": "hour"},
    "course.duration": {"zh": "时长", "en": "Duration"},
    "course.progress": {"zh": "学习进度", "en": "Progress"},
    "course.lesson_count": {"zh": "节课", "en": "lessons"},
    "lesson.markers": {"zh": "章节标记（点击跳转）", "en": "Chapters (tap to jump)"},
    "lesson.transcript": {"zh": "文字稿", "en": "Transcript"},
    "lesson.teaches": {"zh": "本课对应的手册内容", "en": "What this lesson teaches in the manual"},
    "lesson.previous": {"zh": "上一课", "en": "Previous lesson"},
    "lesson.next": {"zh": "下一课", "en": "Next lesson"},
    "lesson.course": {"zh": "所属课程", "en": "Course"},
    "lesson.no_video": {"zh": "此浏览器无法播放视频。", "en": "This browser cannot play the video."},
    "lesson.download": {"zh": "下载视频（MP4）", "en": "Download the video (MP4)"},
    "lesson.play": {"zh": "播放视频", "en": "Play the video"},
    "lesson.needs_network": {"zh": "播放视频需要网络连接。联网后点击画面重试；手册的文字内容离线也能阅读。",
                             "en": "The video needs a network connection. Tap the picture again once you are "
                                   "online; the manual's text works offline."},
    "lesson.failed": {"zh": "视频无法播放。请点击画面重试，或下载视频（MP4）。",
                      "en": "The video could not be played. Tap the picture to try again, or download it (MP4)."},
    "lesson.outdated": {"zh": "本课所讲的推荐意见在本版手册中已更新，视频内容可能已过时：",
                        "en": "A recommendation this lesson teaches has changed in this edition; "
                              "the video may be out of date:"},
    "lesson.completed": {"zh": "已完成", "en": "Completed"},
    "chapter.lessons": {"zh": "视频课程", "en": "Video lessons"},
    "edition.whats_new": {"zh": "本版更新", "en": "What's new in this edition"},
    "edition.whats_new_short": {"zh": "本版更新", "en": "What's new"},
    "edition.this": {"zh": "本版", "en": "This edition"},
    "edition.compared_with": {"zh": "与上一版比较", "en": "Compared with"},
    "edition.first": {"zh": "这是第一个发布的版本，没有可比较的上一版。",
                      "en": "This is the first published edition: there is no earlier edition to compare with."},
    "edition.no_changes": {"zh": "与上一版相比，结构化内容没有变化。",
                           "en": "The structured content has not changed since the previous edition."},
    "edition.count": {"zh": "共 {n} 处变化", "en": "{n} changes"},
    "edition.count_one": {"zh": "共 1 处变化", "en": "1 change"},
    "edition.json": {"zh": "变更记录（JSON）", "en": "Changelog (JSON)"},
    "edition.status.trial": {"zh": "试行", "en": "trial"},
    "edition.status.current": {"zh": "现行", "en": "current"},
    "edition.status.superseded": {"zh": "已被新版取代", "en": "superseded"},
    "edition.badge.added": {"zh": "本版新增", "en": "New in this edition"},
    "edition.badge.changed": {"zh": "本版修改", "en": "Changed in this edition"},
    "edition.badge.renamed": {"zh": "本版更名", "en": "Renamed in this edition"},
    "edition.badge.chart": {"zh": "流程图本版修改", "en": "Flow chart changed in this edition"},
    "edition.change.added": {"zh": "新增", "en": "added"},
    "edition.change.removed": {"zh": "删除", "en": "removed"},
    "edition.change.changed": {"zh": "修改", "en": "changed"},
    "edition.change.renamed": {"zh": "更名", "en": "renamed"},
    "edition.change.rerouted": {"zh": "改指向", "en": "now leads elsewhere"},
    "edition.change.relabelled": {"zh": "改标签", "en": "relabelled"},
    "edition.section.chapters": {"zh": "章节", "en": "Chapters"},
    "edition.section.danger_signs": {"zh": "危险征象", "en": "Danger signs"},
    "edition.section.referrals": {"zh": "转诊指征", "en": "Referral indications"},
    "edition.section.recommendations": {"zh": "推荐意见", "en": "Recommendations"},
    "edition.section.charts": {"zh": "诊疗流程图", "en": "Flow charts"},
    "edition.before": {"zh": "原为", "en": "before"},
    "edition.after": {"zh": "现为", "en": "now"},
    "edition.nodes": {"zh": "步骤", "en": "Steps"},
    "edition.edges": {"zh": "连线", "en": "Arrows"},
    "edition.since_visit": {"zh": "自您上次访问（{old}）以来，手册已更新为 {new}。",
                            "en": "Since your last visit ({old}) the manual has been updated to the {new}."},
    "edition.since_see": {"zh": "查看变化", "en": "See what changed"},
    "edition.since_dismiss": {"zh": "知道了", "en": "Got it"},
    "edition.since_skipped": {"zh": "其间还发布了以下版本，请一并查看其更新：",
                              "en": "Editions published in between (see their changes too):"},
    "edition.outdated": {"zh": "您正在查看旧版手册。", "en": "You are reading an earlier edition of the manual."},
    "edition.outdated_go": {"zh": "转到最新版", "en": "Go to the latest edition"},
    "edition.field.text": {"zh": "内容", "en": "text"},
    "edition.field.triage": {"zh": "分级", "en": "triage"},
    "edition.field.age_bands": {"zh": "年龄段", "en": "ages"},
    "edition.field.threshold": {"zh": "阈值", "en": "threshold"},
    "edition.field.threshold.value": {"zh": "阈值", "en": "threshold value"},
    "edition.field.threshold.op": {"zh": "阈值比较", "en": "threshold comparison"},
    "edition.field.threshold.unit": {"zh": "阈值单位", "en": "threshold unit"},
    "edition.field.threshold.measure": {"zh": "阈值指标", "en": "threshold measure"},
    "edition.field.urgency": {"zh": "紧急程度", "en": "urgency"},
    "edition.field.target": {"zh": "转往", "en": "where"},
    "edition.field.time_frame": {"zh": "时限", "en": "within"},
    "edition.field.signs": {"zh": "指征（危险征象）", "en": "signs"},
    "edition.field.criteria": {"zh": "指征", "en": "criteria"},
    "edition.field.pre_referral": {"zh": "转诊前处理", "en": "before transfer"},
    "edition.field.strength": {"zh": "推荐强度", "en": "strength"},
    "edition.field.certainty": {"zh": "证据质量", "en": "certainty"},
    "edition.field.sources": {"zh": "来源", "en": "sources"},
    "edition.field.kind": {"zh": "类型", "en": "kind"},
    "edition.field.links": {"zh": "链接条目", "en": "linked items"},
    # Doses and the danger-sign fields of the clinical formats in "What's new" (cloudpeds.editions.pages).
    "edition.section.doses": {"zh": "药物剂量", "en": "Doses"},
    "edition.unrecorded.doses": {"zh": "上一版发布时尚未记录结构化剂量，因此本页不比较剂量；本版的剂量请见各章节，"
                                       "从下一版起将逐项列出剂量的变化。",
                                 "en": "The previous edition was published before doses were recorded, so doses are "
                                       "not compared on this page; see each chapter for this edition's doses. From "
                                       "the next edition on, every dose change is listed here."},
    "edition.field.findings": {"zh": "表现", "en": "findings"},
    "edition.field.thresholds": {"zh": "阈值（其他）", "en": "further thresholds"},
    "edition.field.match": {"zh": "判定方式", "en": "match"},
    "edition.field.triage_reason": {"zh": "分级理由", "en": "why this triage"},
    "edition.field.waivers": {"zh": "规则豁免", "en": "rules waived"},
    "edition.field.dose": {"zh": "剂量", "en": "dose"},
    "edition.field.drug": {"zh": "药物", "en": "medicine"},
    "edition.field.indication": {"zh": "适应证", "en": "indication"},
    "edition.field.route": {"zh": "途径", "en": "route"},
    "edition.field.unit": {"zh": "单位", "en": "unit"},
    "edition.field.per_kg": {"zh": "每次剂量（按体重）", "en": "dose per kg"},
    "edition.field.by_weight": {"zh": "按体重分段剂量", "en": "dose by weight band"},
    "edition.field.by_age": {"zh": "按年龄分段剂量", "en": "dose by age band"},
    "edition.field.max_single": {"zh": "单次最大剂量", "en": "max single dose"},
    "edition.field.max_24h": {"zh": "24 小时最大剂量", "en": "max in 24 h"},
    "edition.field.max_doses_24h": {"zh": "24 小时最多次数", "en": "max doses in 24 h"},
    "edition.field.interval": {"zh": "间隔", "en": "interval"},
    "edition.field.max_doses": {"zh": "总共最多次数", "en": "max doses in all"},
    "edition.field.min_age": {"zh": "最小年龄", "en": "minimum age"},
    "edition.field.min_weight_kg": {"zh": "最小体重", "en": "minimum weight"},
    "edition.field.ages": {"zh": "适用年龄", "en": "for ages"},
    "edition.field.source_ages": {"zh": "来源覆盖年龄", "en": "source covers ages"},
    "edition.field.reason": {"zh": "超出来源年龄范围的理由", "en": "why beyond the source's ages"},
    "edition.field.formulations": {"zh": "制剂", "en": "formulations"},
    "edition.section.threshold_tables": {"zh": "阈值表", "en": "Threshold tables"},
    "edition.unrecorded.threshold_tables": {"zh": "上一版发布时尚未记录阈值表的数值，因此本页不比较阈值表。",
                                            "en": "The previous edition was published before threshold tables "
                                                  "were recorded, so they are not compared on this page."},
    "edition.field.rows": {"zh": "阈值", "en": "cut-offs"},
    "edition.field.label": {"zh": "名称", "en": "name"},
    "edition.field.op": {"zh": "比较", "en": "comparison"},
    "edition.field.by": {"zh": "分段依据", "en": "rows by"},
    "edition.field.measure": {"zh": "指标", "en": "measure"},
    "fc.description": {
        "zh": "决策流程图，共 {nodes} 个步骤，起点：{start}。下方有同内容的文字版。",
        "en": "Decision flow chart with {nodes} steps, starting at: {start}. A text version follows.",
    },
    # Punctuation by language: full-width in Chinese, ASCII (with its spaces) in English.
    "punct.colon": {"zh": "：", "en": ": "},
    "punct.open": {"zh": "（", "en": " ("},
    "punct.close": {"zh": "）", "en": ")"},
    "punct.list": {"zh": "、", "en": ", "},
    # Theme chrome (Material's own strings that its translations do not cover).
    "permalink": {"zh": "本段链接", "en": "Permanent link"},
    "generator": {"zh": "本站使用 {name} 制作", "en": "Made with {name}"},
}

# The urgency scale's words come from its one table: a level's word (urgency.<level>, fc.kind.<level>)
# and a triage colour with the word of the level it calls for (triage.red: "红色 · 紧急").
STRINGS.update(
    {f"urgency.{lv.id}": dict(lv.word) for lv in LEVELS}
    | {f"fc.kind.{lv.id}": dict(lv.word) for lv in LEVELS}
    | {"fc.kind.treat": dict(BY_ID["treat-home"].word)}
    | {f"triage.{triage}": {lang: f"{word} · {BY_ID[TRIAGE_LEVEL[triage]].word[lang]}" for lang, word in words.items()}
       for triage, words in TRIAGE_WORD.items()}
)

def t(key: str, lang: str) -> str:
    """The string ``key`` in ``lang``, falling back to Chinese, then to the key itself."""
    entry = STRINGS.get(key, {})
    return entry.get(lang) or entry.get("zh") or key


def strings(lang: str) -> dict[str, str]:
    return {key: t(key, lang) for key in STRINGS}


def colon(lang: str) -> str:
    """``：`` in Chinese, ``": "`` in English: "适用年龄：5 岁以下", "Ages: under 5 years"."""
    return t("punct.colon", lang)


def parenthesised(text: str, lang: str) -> str:
    """``（text）`` in Chinese, ``" (text)"`` in English, to follow a word."""
    return f"{t('punct.open', lang)}{text}{t('punct.close', lang)}"


def localize_permalinks(html: str, lang: str) -> str:
    """Python-Markdown's toc writes one ``permalink_title`` for every page; give each page its language's."""
    title = t("permalink", lang)
    if title == "Permanent link":
        return html
    return html.replace('title="Permanent link"', f'title="{title}"')
