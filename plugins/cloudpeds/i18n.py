"""User-interface strings in every language of the site. Chinese first, English second."""

from __future__ import annotations

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
        "zh": "任一红色征象：立即按下方紧急转诊处理。颜色之外另有形状和文字标记。",
        "en": "Any red sign: refer as an emergency (see below). Each colour also has a shape and a word.",
    },
    "referral": {"zh": "转诊指征", "en": "When to refer"},
    "recommendations": {"zh": "推荐意见", "en": "Recommendations"},
    "references": {"zh": "参考文献", "en": "References"},
    "review": {"zh": "编写与审校", "en": "Authors and review"},
    "triage.red": {"zh": "红色·紧急", "en": "Red · emergency"},
    "triage.amber": {"zh": "黄色·警惕", "en": "Amber · caution"},
    "triage.green": {"zh": "绿色·低危", "en": "Green · low risk"},
    "urgency.emergency": {"zh": "紧急转诊", "en": "Emergency referral"},
    "urgency.urgent": {"zh": "尽快转诊", "en": "Urgent referral"},
    "urgency.routine": {"zh": "常规转诊/复诊", "en": "Routine referral or review"},
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
    "a_z.see": {"zh": "见", "en": "see"},
    "chapter": {"zh": "章节", "en": "Chapter"},
    "language_switch": {"zh": "切换语言", "en": "Change language"},
    "sample_disclaimer": {
        "zh": "示例内容，仅供演示本软件，不得用于临床。",
        "en": "Sample content for demonstrating this software. Not for clinical use.",
    },
    "red_signs_count": {"zh": "项红色征象", "en": "red signs"},
    "flowchart": {"zh": "诊疗流程图", "en": "Flow chart"},
    "fc.kind.assess": {"zh": "评估", "en": "Assess"},
    "fc.kind.decision": {"zh": "判断", "en": "Decide"},
    "fc.kind.treat": {"zh": "处理", "en": "Treat"},
    "fc.kind.home": {"zh": "居家照护", "en": "Home care"},
    "fc.kind.observe": {"zh": "观察与复诊", "en": "Observe and safety-net"},
    "fc.kind.urgent": {"zh": "紧急转诊", "en": "Refer urgently"},
    "fc.kind.routine": {"zh": "常规转诊", "en": "Refer routinely"},
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
    "search.placeholder": {"zh": "症状、危险征象、转诊……如 发烧、抽筋",
                           "en": "Symptom, danger sign, referral… e.g. wheeze"},
    "search.close": {"zh": "关闭", "en": "Close"},
    "search.loading": {"zh": "正在载入索引……", "en": "Loading the index…"},
    "search.none": {"zh": "没有找到结果。试试别的说法，例如“发烧”或“发热”。",
                    "en": "No results. Try other words, e.g. fever."},
    "search.failed": {"zh": "无法载入搜索索引。", "en": "The search index could not be loaded."},
    "search.count": {"zh": "{n} 条结果", "en": "{n} results"},
    "search.kind.chapter": {"zh": "章节", "en": "Chapters"},
    "search.kind.danger-sign": {"zh": "危险征象", "en": "Danger signs"},
    "search.kind.referral": {"zh": "转诊指征", "en": "Referral"},
    "search.kind.recommendation": {"zh": "推荐意见", "en": "Recommendations"},
    "search.kind.flowchart": {"zh": "流程图", "en": "Flow charts"},
    "search.kind.section": {"zh": "章节内容", "en": "Sections"},
    "search.kind.page": {"zh": "其他页面", "en": "Pages"},
    "search.kind.lesson": {"zh": "视频课程", "en": "Lessons"},
    "fc.description": {
        "zh": "决策流程图，共 {nodes} 个步骤，起点：{start}。下方有同内容的文字版。",
        "en": "Decision flow chart with {nodes} steps, starting at: {start}. A text version follows.",
    },
}


def t(key: str, lang: str) -> str:
    """The string ``key`` in ``lang``, falling back to Chinese, then to the key itself."""
    entry = STRINGS.get(key, {})
    return entry.get(lang) or entry.get("zh") or key


def strings(lang: str) -> dict[str, str]:
    return {key: t(key, lang) for key in STRINGS}
