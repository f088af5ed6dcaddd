"""The print editions' own words (the site's strings come from cloudpeds.i18n)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "pocket": "口袋版", "full": "完整版", "wall": "流程图挂图", "handout": "家长须知",
        "manual_title": "儿科临床决策支持手册", "contents": "目录", "symptom_index": "症状索引",
        "dose_tables": "按体重的剂量表", "references": "参考文献", "changelog": "本版更新",
        "edition": "版本", "date": "日期", "page": "第 {n} 页", "page_of": "第 {n} 页，共 {total} 页",
        "danger_signs": "危险征象", "act_now": "立即处理", "referral": "转诊", "flowchart": "流程图",
        "routes": "本机构转诊路径", "department": "接收科室", "address": "地址", "phone": "电话",
        "hours": "时间", "green_channel": "绿色通道", "send_with": "随患儿带上", "phones": "本机构电话",
        "emergency_number": "急救电话", "chart_text": "流程图文字版",
        "scan": "用手机扫码（可在微信中打开），随时再看这份建议：", "no_advice": "本章尚未编写家长须知。",
        "call_emergency": "紧急情况请拨打 {number}。", "for": "适用机构",
    },
    "en": {
        "pocket": "Pocket edition", "full": "Full manual", "wall": "Wall chart", "handout": "Parent handout",
        "manual_title": "Paediatric clinical decision-support manual", "contents": "Contents",
        "symptom_index": "Symptom index", "dose_tables": "Dose tables by weight", "references": "References",
        "changelog": "Changes in this edition", "edition": "Edition", "date": "Date", "page": "page {n}",
        "page_of": "page {n} of {total}",
        "danger_signs": "Danger signs", "act_now": "Act now", "referral": "Referral", "flowchart": "Flow chart",
        "routes": "This clinic's referral routes", "department": "Receiving department", "address": "Address",
        "phone": "Phone", "hours": "Hours", "green_channel": "Green channel", "send_with": "Send with the child",
        "phones": "This clinic's phones", "emergency_number": "Emergency number", "chart_text": "The chart as text",
        "scan": "Scan with your phone (opens in WeChat) to read this advice again:",
        "no_advice": "This chapter has no advice for parents yet.",
        "call_emergency": "In an emergency call {number}.", "for": "For",
    },
}

#: The emergency number printed when no member gives its own (mainland China).
DEFAULT_EMERGENCY_NUMBER = "120"


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS.get(lang, WORDS["en"])[key]
    return text.format(**values) if values else text
