"""Write a complete synthetic cloudpeds project: N bilingual chapters plus the real site shell.

    .venv/bin/python bench/synthetic_manual.py --chapters 500 --out bench/out/syn-500 [--seed 1]

The project holds ``manual/groups.yml`` and ``manual/references/core.yml`` (copies of the real
ones; ``manual/synonyms.yml`` too when the repository has one: it names no chapter),
``manual/chapters/syn-0001.{zh,en}.md`` …, ``content/`` and ``theme/`` (copies), a copy of
``mkdocs.yml`` and, when the repository has ``node_modules/`` (front-end packages that a plugin
copies into the site), a symbolic link to it. Every chapter has valid front matter (8 danger signs, 3 referrals, 5
recommendations, references from core.yml, a group from groups.yml, related synthetic chapters)
and a body of about 1,500 Chinese characters / 1,500 English words with sections and lists.

The texts are clinical-sounding filler for measuring build speed; they are NOT medical advice.
Output is deterministic for a given seed, and chapter k is the same whatever N is (only its
``related`` ids depend on N).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MARKER = ".synthetic-manual"
N_SIGNS = (3, 3, 2)  # red, amber, green
N_RECOMMENDATIONS = 5
ZH_BODY_CHARS = 1500
EN_BODY_WORDS = 1500
_CJK = re.compile(r"[\u4e00-\u9fff]")

# (age_range, age_bands): the standard bands, in age order.
AGE_PLANS = [
    ("0d-5y", ["0d-28d", "28d-3mo", "3mo-6mo", "6mo-12mo", "1y-5y"]),
    ("0d-14y", ["0d-28d", "28d-3mo", "3mo-6mo", "6mo-12mo", "1y-5y", "5y-14y"]),
    ("28d-14y", ["28d-3mo", "3mo-6mo", "6mo-12mo", "1y-5y", "5y-14y"]),
    ("3mo-14y", ["3mo-6mo", "6mo-12mo", "1y-5y", "5y-14y"]),
    ("0d-3mo", ["0d-28d", "28d-3mo"]),
]

# (zh, en) symptom names with synonyms in each language.
SYMPTOMS = [
    ("咳嗽", "Cough", ["咳", "嗽", "干咳"], ["coughing", "hacking cough"]),
    ("喘息", "Wheeze", ["喘", "气喘", "喘鸣"], ["wheezing", "whistling chest"]),
    ("腹泻", "Diarrhoea", ["拉肚子", "稀便", "水样便"], ["diarrhea", "loose stools", "the runs"]),
    ("呕吐", "Vomiting", ["吐", "吐奶", "恶心呕吐"], ["being sick", "throwing up"]),
    ("腹痛", "Abdominal pain", ["肚子痛", "肚子疼", "胃痛"], ["tummy ache", "stomach ache", "belly pain"]),
    ("皮疹", "Rash", ["出疹子", "红疹", "疹子"], ["spots", "skin eruption"]),
    ("惊厥", "Convulsions", ["抽筋", "抽搐", "抽风"], ["fits", "seizures"]),
    ("黄疸", "Jaundice", ["皮肤发黄", "眼黄", "黄染"], ["yellow skin", "icterus"]),
    ("哭闹", "Crying", ["夜哭", "哭闹不安", "烦躁"], ["excessive crying", "fussiness"]),
    ("发热", "Fever", ["发烧", "高热", "体温升高"], ["high temperature", "pyrexia"]),
    ("便秘", "Constipation", ["大便干", "排便困难", "几天不拉"], ["hard stools", "costiveness"]),
    ("耳痛", "Earache", ["耳朵疼", "耳朵痛", "拉耳朵"], ["ear pain", "otalgia"]),
    ("咽痛", "Sore throat", ["嗓子疼", "喉咙痛", "咽喉痛"], ["throat pain", "pharyngitis"]),
    ("头痛", "Headache", ["头疼", "脑袋疼", "偏头痛"], ["head pain", "cephalalgia"]),
    ("跛行", "Limp", ["走路瘸", "不肯走路", "腿疼"], ["limping", "refusal to walk"]),
    ("血尿", "Blood in the urine", ["尿血", "尿红", "小便发红"], ["haematuria", "hematuria", "red urine"]),
    ("鼻出血", "Nosebleed", ["流鼻血", "鼻衄", "鼻子出血"], ["epistaxis", "bloody nose"]),
    ("水肿", "Swelling", ["浮肿", "肿胀", "眼睑肿"], ["oedema", "edema", "puffiness"]),
    ("喂养困难", "Feeding difficulty", ["不吃奶", "吃奶少", "拒奶"], ["poor feeding", "refusing feeds"]),
    ("呼吸困难", "Breathing difficulty", ["气促", "喘不上气", "呼吸快"], ["shortness of breath", "dyspnoea"]),
]
QUALIFIERS = [("急性", "Acute"), ("持续性", "Persistent"), ("反复", "Recurrent"), ("婴儿", "Infant"),
              ("新发", "New-onset"), ("夜间", "Night-time")]

# Danger signs by triage: (zh, en, threshold or None). A threshold's value appears in both texts.
SIGNS = {
    "red": [
        ("体温 < 35.5 °C（低体温）", "Temperature < 35.5 °C (hypothermia)",
         {"measure": "temperature", "op": "<", "value": 35.5, "unit": "°C"}),
        ("呼吸 > 60 次/分或呻吟", "Respiratory rate > 60 breaths/min or grunting",
         {"measure": "respiratory_rate", "op": ">", "value": 60, "unit": "/min"}),
        ("经皮血氧饱和度 < 92%", "Oxygen saturation < 92% in air",
         {"measure": "spo2", "op": "<", "value": 92, "unit": "%"}),
        ("血糖 < 2.6 mmol/L", "Blood glucose < 2.6 mmol/L",
         {"measure": "glucose", "op": "<", "value": 2.6, "unit": "mmol/L"}),
        ("抽搐持续 ≥ 5 分钟", "A fit lasting ≥ 5 minutes",
         {"measure": "duration", "op": ">=", "value": 5, "unit": "min"}),
        ("不能喝水或吃奶", "Unable to drink or breastfeed", None),
        ("呕吐一切食物和液体", "Vomits everything", None),
        ("嗜睡、难以唤醒或昏迷", "Lethargic, hard to wake or unconscious", None),
        ("压之不褪色的皮疹", "A rash that does not fade on pressure", None),
        ("面色苍白、皮肤花斑或青紫", "Pale, mottled or blue skin", None),
        ("中重度胸凹陷", "Moderate or severe chest indrawing", None),
        ("颈项强直或前囟膨隆", "Neck stiffness or a bulging fontanelle", None),
    ],
    "amber": [
        ("体温 ≥ 39 °C 持续不退", "Temperature ≥ 39 °C that does not come down",
         {"measure": "temperature", "op": ">=", "value": 39, "unit": "°C"}),
        ("呼吸 > 50 次/分", "Respiratory rate > 50 breaths/min",
         {"measure": "respiratory_rate", "op": ">", "value": 50, "unit": "/min"}),
        ("心率 > 160 次/分", "Heart rate > 160 beats/min",
         {"measure": "heart_rate", "op": ">", "value": 160, "unit": "/min"}),
        ("毛细血管再充盈时间 ≥ 3 秒", "Capillary refill time ≥ 3 seconds",
         {"measure": "capillary_refill", "op": ">=", "value": 3, "unit": "s"}),
        ("症状持续 ≥ 5 天", "Symptoms for ≥ 5 days",
         {"measure": "duration", "op": ">=", "value": 5, "unit": "d"}),
        ("呕吐持续 > 24 小时", "Vomiting for > 24 hours",
         {"measure": "duration", "op": ">", "value": 24, "unit": "h"}),
        ("体重下降 > 10%", "Weight loss > 10%",
         {"measure": "weight_loss", "op": ">", "value": 10, "unit": "%"}),
        ("尿量明显减少、口唇黏膜干燥", "Much reduced urine output and dry mucous membranes", None),
        ("眼窝凹陷、皮肤弹性差", "Sunken eyes and slow skin pinch", None),
        ("对社交反应差、不爱笑", "Not responding normally to social cues, no smile", None),
    ],
    "green": [
        ("进食减少但仍能饮水", "Eating less but still drinking", None),
        ("精神好、能玩耍、哭声有力", "Alert, playing, strong cry", None),
        ("面色正常、黏膜湿润、尿量正常", "Normal colour, moist mucous membranes, normal urine output", None),
        ("症状轻微且逐日好转", "Mild symptoms that improve day by day", None),
    ],
}

REFERRALS = {
    "emergency": ("上级医院儿科急诊（经联合体绿色通道）", "立即，由医护人员陪同转运",
                  "Paediatric emergency department of the tertiary hospital (consortium green channel)",
                  "Immediately, accompanied by a health worker"),
    "urgent": ("上级医院儿科门诊或急诊", "当天（24 小时内）就诊评估",
               "Paediatric clinic or emergency department of the tertiary hospital",
               "The same day (within 24 hours)"),
    "routine": ("社区卫生服务中心儿科门诊复诊", "48 小时内复诊；出现任何危险征象立即就诊",
                "Paediatric clinic of the community health centre (review)",
                "Review within 48 hours; at once if any danger sign appears"),
}
PRE_REFERRAL = [
    ("预防低血糖：能吞咽者喂母乳、奶或糖水",
     "Prevent low blood sugar: if able to swallow, give breast milk, milk or sugar water"),
    ("保持气道通畅，有低氧表现时吸氧", "Keep the airway open; give oxygen if there are signs of hypoxia"),
    ("体温 ≥ 38.5 °C 时给予一剂退热药（剂量按参考文献）",
     "If temperature ≥ 38.5 °C, give one dose of an antipyretic (dose as in the reference)"),
    ("注意保暖，转运途中持续观察呼吸和面色",
     "Keep the child warm and watch breathing and colour during transfer"),
]
URGENT_CRITERIA = [
    ("黄色征象且无法保证可靠的随访与复诊", "Amber features and no reliable follow-up can be arranged"),
    ("家长对照护无把握或担忧持续", "Parents or carers cannot cope or remain worried"),
    ("经处理 4 小时后仍无改善", "No improvement 4 hours after treatment"),
]
RECOMMENDATIONS = [
    ("每个就诊儿童都先查全身危险征象，再评估具体症状。",
     "Check every child for general danger signs before assessing the presenting symptom."),
    ("按红/黄/绿分级评估，并按出现的最高风险征象决定处理。",
     "Use the red/amber/green table and act on the highest-risk feature present."),
    ("记录体温、呼吸、心率和毛细血管再充盈时间。",
     "Record temperature, respiratory rate, heart rate and capillary refill time."),
    ("居家照护时给予书面的复诊指导，说明何时需要立即就诊。",
     "For home care, give written safety-net advice that says when to come back at once."),
    ("鼓励继续母乳喂养和少量多次补液。", "Encourage continued breastfeeding and small, frequent drinks."),
    ("不推荐常规使用抗生素，除非有明确的细菌感染证据。",
     "Do not give antibiotics routinely unless there is clear evidence of a bacterial infection."),
    ("需要用药时按体重计算，剂量按参考文献。",
     "When a medicine is needed, calculate it by weight; dose as in the reference."),
    ("对家长的担忧保持重视，必要时提前复诊。",
     "Take parents' concerns seriously and bring the review forward when needed."),
    ("婴儿出现症状时降低转诊门槛。", "Lower the threshold for referral in young infants."),
    ("避免不必要的检查，检查不应延误转诊。", "Avoid unnecessary tests; tests must not delay referral."),
    ("复诊时重新评估全部危险征象。", "Reassess all danger signs at every review."),
    ("向家长解释病程通常为自限性，并说明预计持续时间。",
     "Explain that the illness is usually self-limiting and how long it is expected to last."),
]

ZH_SENTENCES = [
    "{sym}是{age}儿童就诊的常见原因，多数为自限性病程，但少数提示严重疾病，需要在首次接诊时识别。",
    "接诊时应先询问起病时间、持续时间和伴随症状，并了解既往史、用药史和疫苗接种情况。",
    "体格检查应在儿童安静时进行，先观察精神状态、面色和呼吸，再进行其他部位检查。",
    "{sym}的严重程度与患儿的一般情况并不总是平行，精神状态比单一指标更能反映病情。",
    "对于{age}的患儿，病情变化较快，应缩短复诊间隔，必要时当天再次评估。",
    "如果家长描述患儿与平时明显不同，即使生命体征尚在正常范围，也应认真对待。",
    "记录首次评估时的体温、呼吸频率、心率和毛细血管再充盈时间，便于之后比较。",
    "出现任何红色征象时，不应因等待检查结果而延误转诊，应立即联系上级医院。",
    "黄色征象提示中度风险，需要当天由上级医院评估，或在可靠随访条件下居家观察。",
    "只有绿色征象的患儿可以居家照护，但必须给予清晰的书面复诊指导。",
    "注意寻找感染灶，包括咽部、耳部、肺部、皮肤、关节和泌尿道。",
    "对于病因不明的患儿，应考虑完善尿常规检查，尤其是月龄较小的婴儿。",
    "脱水的评估包括精神状态、眼窝、口唇黏膜、皮肤弹性和尿量等多个方面。",
    "补液以口服为首选，少量多次喂服，呕吐后稍等片刻再继续。",
    "向家长说明{sym}通常在数天内逐渐好转，但病程中需要观察危险征象。",
    "若症状持续超过预期时间或反复出现，应重新评估并考虑其他诊断。",
    "对于有基础疾病的儿童，如先天性心脏病或慢性肺病，应降低转诊门槛。",
    "用药前核对患儿体重和过敏史，剂量按参考文献，不凭经验估算。",
    "社区医生在接诊时应注意与家长充分沟通，确认家长理解何时需要再次就诊。",
    "医联体内的转诊应通过绿色通道提前通知上级医院，并随患儿附上简要病历。",
    "夜间或节假日出现病情变化时，家长应直接前往最近的儿科急诊。",
    "评估时应区分{sym}是原发问题还是其他系统疾病的表现之一。",
    "实验室检查应有明确目的，检查结果正常并不能排除早期严重感染。",
    "患儿精神状态好转、进食改善和尿量恢复是病情好转的可靠信号。",
    "反复就诊的患儿应由同一名医生或团队随访，以便发现病情的细微变化。",
    "对于{age}的儿童，生命体征的正常范围随年龄变化，应对照相应年龄的参考值。",
    "家庭护理时保持室内空气流通，衣着适中，不要过度包裹。",
    "注意手卫生和家庭成员之间的隔离，减少交叉感染的机会。",
    "病历中应记录给家长的建议内容以及家长的理解程度。",
    "如怀疑虐待或忽视，应按当地流程报告，并确保患儿安全。",
]
EN_SENTENCES = [
    "{sym} is a common reason for children {age} to be brought to the clinic; most cases settle on "
    "their own, but a few point to serious illness that must be recognised at the first contact.",
    "Ask when it started, how long it has lasted and what else has been noticed, and check the past "
    "history, medicines and immunisations.",
    "Examine the child while calm, looking first at alertness, colour and breathing before examining "
    "other parts of the body.",
    "The severity of {sym_lower} does not always match how unwell the child is; behaviour tells more "
    "than any single measurement.",
    "In children {age} the illness can change quickly, so shorten the interval to review and reassess "
    "the same day if needed.",
    "When parents say that the child is not their usual self, take it seriously even if the vital signs "
    "are still within the normal range.",
    "Record temperature, respiratory rate, heart rate and capillary refill time at the first assessment "
    "so that later changes can be compared.",
    "Any red feature means immediate referral; never delay transfer while waiting for test results.",
    "Amber features mean intermediate risk and call for same-day assessment at the tertiary hospital, "
    "or home observation only when reliable follow-up is assured.",
    "Children with green features only can be cared for at home, with clear written advice about when "
    "to come back.",
    "Look for a focus of infection in the throat, ears, chest, skin, joints and urinary tract.",
    "When no cause is found, consider testing the urine, especially in young infants.",
    "Assessment of dehydration covers alertness, the eyes, the mucous membranes, skin turgor and urine "
    "output.",
    "Oral rehydration is preferred: offer small amounts often and wait a few minutes after vomiting "
    "before starting again.",
    "Explain to parents that {sym_lower} usually improves over a few days, and that they should watch "
    "for the danger signs meanwhile.",
    "If the symptoms last longer than expected or keep coming back, reassess the child and consider "
    "other diagnoses.",
    "Lower the threshold for referral in children with underlying conditions such as congenital heart "
    "disease or chronic lung disease.",
    "Before giving any medicine check the weight and allergies; the dose is as in the reference and is "
    "never estimated from memory.",
    "Take time to talk with the parents and make sure they understand when to come back.",
    "Referral within the consortium goes through the green channel: call ahead and send a short summary "
    "with the child.",
    "At night or on public holidays parents should go straight to the nearest paediatric emergency "
    "department if the child gets worse.",
    "Decide whether {sym_lower} is the main problem or one feature of an illness of another system.",
    "Order tests with a clear purpose; a normal result does not rule out an early serious infection.",
    "Better alertness, feeding and urine output are reliable signs that the child is recovering.",
    "Children who come back repeatedly should be followed by the same doctor or team, so that subtle "
    "changes are noticed.",
    "Normal ranges of vital signs change with age; compare the findings with the values for children "
    "{age}.",
    "At home keep the room aired, dress the child normally and do not over-wrap.",
    "Hand washing and keeping apart from other family members reduce the spread of infection.",
    "Write down the advice given and how well the parents understood it.",
    "If abuse or neglect is suspected, follow the local procedure and make sure the child is safe.",
]
ZH_SECTIONS = ["基础", "评估", "处理", "鉴别诊断", "家长教育", "随访"]
EN_SECTIONS = ["Basics", "Assessment", "Management", "Differential diagnosis", "Advice for parents",
               "Follow-up"]
ZH_AGES = {"0d-5y": "5 岁以下", "0d-14y": "各年龄段", "28d-14y": "新生儿期以后", "3mo-14y": "3 月龄以上",
           "0d-3mo": "3 月龄以下"}
EN_AGES = {"0d-5y": "under 5", "0d-14y": "of all ages", "28d-14y": "beyond the newborn period",
           "3mo-14y": "over 3 months", "0d-3mo": "under 3 months"}


@dataclass
class Source:
    groups: list[str]
    references: list[str]


def read_source(repo: Path) -> Source:
    groups = yaml.safe_load((repo / "manual/groups.yml").read_text(encoding="utf-8"))["groups"]
    refs = yaml.safe_load((repo / "manual/references/core.yml").read_text(encoding="utf-8"))["references"]
    return Source([g["id"] for g in groups], [r["id"] for r in refs])


def chapter_id(index: int, width: int) -> str:
    return f"syn-{index:0{width}d}"


def _subset(rng: random.Random, bands: list[str]) -> list[str]:
    start = rng.randrange(len(bands))
    end = rng.randrange(start, len(bands)) + 1
    return bands[start:end]


def make_chapter(index: int, n: int, width: int, source: Source, seed: int) -> tuple[dict, dict, str, str]:
    """Front matter (zh, en) and bodies (zh, en) of chapter ``index`` (1-based)."""
    rng = random.Random(f"{seed}:{index}")
    cid = chapter_id(index, width)
    sym_zh, sym_en, syn_zh, syn_en = rng.choice(SYMPTOMS)
    qual_zh, qual_en = rng.choice(QUALIFIERS)
    age_range, bands = rng.choice(AGE_PLANS)

    signs_zh, signs_en = [], []
    picked = [(sign, triage) for triage, count in zip(SIGNS, N_SIGNS, strict=True)
              for sign in rng.sample(SIGNS[triage], count)]
    for number, ((zh, en, threshold), triage) in enumerate(picked, 1):
        sign_id = f"{cid}-ds-{number}"
        common = {"triage": triage, "age_bands": _subset(rng, bands)}
        if threshold:
            common["threshold"] = dict(threshold)
        signs_zh.append({"id": sign_id, "text": zh, **common})
        signs_en.append({"id": sign_id, "text": en, **common})

    references = rng.sample(source.references, k=min(4, len(source.references)))
    by_triage = {t: [s["id"] for s in signs_zh if s["triage"] == t] for t in ("red", "amber", "green")}
    referrals_zh, referrals_en = [], []
    for number, (urgency, triage) in enumerate(
            (("emergency", "red"), ("urgent", "amber"), ("routine", "green")), 1):
        target_zh, time_zh, target_en, time_en = REFERRALS[urgency]
        zh = {"id": f"{cid}-ref-{number}", "urgency": urgency, "target": target_zh, "time_frame": time_zh,
              "signs": by_triage[triage]}
        en = {"id": zh["id"], "urgency": urgency, "target": target_en, "time_frame": time_en,
              "signs": by_triage[triage]}
        if urgency == "emergency":
            steps = rng.sample(PRE_REFERRAL, 2)
            sources = [[rng.choice(references)] for _ in steps]
            pairs = list(zip(steps, sources, strict=True))
            zh["pre_referral"] = [{"text": step[0], "sources": src} for step, src in pairs]
            en["pre_referral"] = [{"text": step[1], "sources": src} for step, src in pairs]
        elif urgency == "urgent":
            criteria = rng.sample(URGENT_CRITERIA, 2)
            zh["criteria"] = [c[0] for c in criteria]
            en["criteria"] = [c[1] for c in criteria]
        referrals_zh.append(zh)
        referrals_en.append(en)

    recs_zh, recs_en = [], []
    for number, (zh, en) in enumerate(rng.sample(RECOMMENDATIONS, N_RECOMMENDATIONS), 1):
        strength = rng.choice(["strong", "strong", "conditional", "practice-statement"])
        certainty = "not-graded" if strength == "practice-statement" else rng.choice(
            ["high", "moderate", "low", "very-low", "not-graded"])
        sources = sorted(rng.sample(references, k=rng.randint(1, 2)), key=references.index)
        common = {"strength": strength, "certainty": certainty, "sources": sources}
        recs_zh.append({"id": f"{cid}-rec-{number}", "text": zh, **common})
        recs_en.append({"id": f"{cid}-rec-{number}", "text": en, **common})

    others = [i for i in range(1, n + 1) if i != index]
    related = [chapter_id(i, width) for i in rng.sample(others, k=min(3, len(others)))]
    neutral = {
        "group": rng.choice(source.groups), "status": "trial", "order": index * 10,
    }
    dates = {"last_reviewed": dt.date(2026, 9, 1), "next_review_due": dt.date(2027, 9, 1), "related": related}
    zh_meta = {
        "id": cid, "title": f"{qual_zh}{sym_zh}（示例 {index}）", "synonyms": list(syn_zh), **neutral,
        "summary": f"{ZH_AGES[age_range]}儿童{qual_zh}{sym_zh}：先查危险征象，按红黄绿分级处理与转诊。",
        "age_range": age_range, "age_bands": list(bands), "danger_signs": signs_zh,
        "referrals": referrals_zh, "recommendations": recs_zh, "references": references,
        "authors": ["示例作者（儿科）"], "reviewers": ["示例审校者（儿科）"], **dates,
    }
    en_meta = {
        "id": cid, "title": f"{qual_en} {sym_en.lower()} (sample {index})", "synonyms": list(syn_en),
        **neutral,
        "summary": f"{qual_en} {sym_en.lower()} in children {EN_AGES[age_range]}: danger signs first, "
                   "then traffic-light triage and referral.",
        "age_range": age_range, "age_bands": list(bands), "danger_signs": signs_en,
        "referrals": referrals_en, "recommendations": recs_en, "references": references,
        "authors": ["Sample author (paediatrics)"], "reviewers": ["Sample reviewer (paediatrics)"], **dates,
    }
    links = {"red": by_triage["red"], "amber": by_triage["amber"],
             "refs": [r["id"] for r in referrals_zh], "rec": recs_zh[-1]["id"]}
    body_zh = _body(random.Random(f"{seed}:{index}:body"), "zh", sym_zh, ZH_AGES[age_range], references)
    body_en = _body(random.Random(f"{seed}:{index}:body"), "en", sym_en, EN_AGES[age_range], references)
    return zh_meta, en_meta, body_zh + _flowchart("zh", links), body_en + _flowchart("en", links)


FLOWCHART = {
    "zh": ("诊疗流程图", "测体温、呼吸、心率、毛细血管再充盈时间，查全身危险征象", "有任一红色征象？",
           "紧急转诊：上级医院儿科急诊，先完成转诊前处理", "有任一黄色征象？", "能保证可靠随访？",
           "当天转上级医院儿科评估", "居家观察，交代警示症状，48 小时内复诊", "居家照护，给予书面复诊指导",
           "是", "否"),
    "en": ("Flow chart", "Measure temperature, respiratory rate, heart rate, capillary refill; check general "
           "danger signs", "Any red sign?", "Refer as an emergency; give pre-referral treatment first",
           "Any amber sign?", "Reliable follow-up possible?", "Same-day assessment at the tertiary hospital",
           "Observe at home with safety-net advice; review within 48 hours",
           "Home care with written safety-net advice", "Yes", "No"),
}


def _flowchart(lang: str, links: dict) -> str:
    """A ```flowchart section shaped like the real chapters' (red → emergency, amber → same day)."""
    title, start, red, emergency, amber, follow_up, urgent, observe, home, yes, no = FLOWCHART[lang]
    lines = [
        f"## {title}", "", "```flowchart", "flowchart TD",
        f"  A[{start}] --> B{{{red}}}",
        f"  B -->|{yes}| E[{emergency}]:::emergency",
        f"  B -->|{no}| D{{{amber}}}",
        f"  D -->|{yes}| F{{{follow_up}}}",
        f"  F -->|{no}| U[{urgent}]:::urgent",
        f"  F -->|{yes}| O[{observe}]:::observe",
        f"  D -->|{no}| H({home}):::home",
        *(f'  click B "#{sign}"' for sign in links["red"]),
        *(f'  click D "#{sign}"' for sign in links["amber"]),
        f'  click E "#{links["refs"][0]}"',
        f'  click U "#{links["refs"][1]}"',
        f'  click O "#{links["rec"]}"',
        "```",
    ]
    return "\n" + "\n".join(lines) + "\n"


def _size(text: str, lang: str) -> int:
    return len(_CJK.findall(text)) if lang == "zh" else len(text.split())


def _body(rng: random.Random, lang: str, sym: str, age: str, references: list[str]) -> str:
    """Sections of paragraphs and lists, grown until the target size is reached."""
    zh = lang == "zh"
    sentences, sections = (ZH_SENTENCES, ZH_SECTIONS) if zh else (EN_SENTENCES, EN_SECTIONS)
    target = ZH_BODY_CHARS if zh else EN_BODY_WORDS
    joiner = "" if zh else " "

    def three() -> list[str]:
        return [text.format(sym=sym, sym_lower=sym.lower(), age=age) for text in rng.sample(sentences, 3)]

    blocks: dict[str, list[str]] = {name: [] for name in sections}
    total = 0
    turn = 0
    while total < target:
        name = sections[turn % len(sections)]
        kind = ("para", "ul", "ol", "para")[(turn // len(sections)) % 4]
        picked = three()
        if kind == "para":
            block = joiner.join(picked)
        elif kind == "ul":
            picked[0] = f"**{picked[0]}**"
            block = "\n".join(f"- {item}" for item in picked)
        else:
            block = "\n".join(f"{i}. {item}" for i, item in enumerate(picked, 1))
        blocks[name].append(block)
        total += _size(block, lang)
        turn += 1

    table = (["| 项目 | 要点 |", "| --- | --- |", "| 危险征象 | 见上方方框 |", "| 转诊 | 见转诊指征 |",
              f"| 参考文献 | {', '.join(references)} |"] if zh else
             ["| Item | Key point |", "| --- | --- |", "| Danger signs | See the box above |",
              "| Referral | See when to refer |", f"| References | {', '.join(references)} |"])
    note = ("!!! note \"提示\"\n    不确定时，按最高风险的征象处理，并联系上级医院儿科。" if zh else
            "!!! note \"Note\"\n    When in doubt, act on the highest-risk feature and call the tertiary "
            "paediatric team.")
    out = []
    for position, name in enumerate(sections):
        out.append(f"## {name}")
        out += blocks[name]
        if position == 1:
            out.append("\n".join(table))
        if position == 2:
            out.append(note)
    return "\n\n".join(out) + "\n"


def _dump(meta: dict, body: str) -> str:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=None, width=4096)
    return f"---\n{front}---\n\n{body}"


def generate(out: Path, *, chapters: int = 500, seed: int = 1, repo: Path = REPO) -> Path:
    """Write the synthetic project into ``out`` (replacing an earlier one there) and return it."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} exists and is not a synthetic project; choose an empty or new folder")
    for name in ("manual", "content", "theme", "site", "mkdocs.yml", "node_modules"):
        target = out / name
        if target.is_symlink():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(f"chapters={chapters} seed={seed}\n", encoding="utf-8")

    (out / "manual/references").mkdir(parents=True)
    (out / "manual/chapters").mkdir()
    shutil.copy2(repo / "manual/groups.yml", out / "manual/groups.yml")
    shutil.copy2(repo / "manual/references/core.yml", out / "manual/references/core.yml")
    if (repo / "manual/synonyms.yml").is_file():
        shutil.copy2(repo / "manual/synonyms.yml", out / "manual/synonyms.yml")
    if (repo / "node_modules").is_dir():
        (out / "node_modules").symlink_to(repo / "node_modules", target_is_directory=True)
    shutil.copytree(repo / "content", out / "content")
    shutil.copytree(repo / "theme", out / "theme")
    shutil.copy2(repo / "mkdocs.yml", out / "mkdocs.yml")

    source = read_source(repo)
    width = max(4, len(str(chapters)))
    for index in range(1, chapters + 1):
        zh_meta, en_meta, body_zh, body_en = make_chapter(index, chapters, width, source, seed)
        cid = zh_meta["id"]
        (out / f"manual/chapters/{cid}.zh.md").write_text(_dump(zh_meta, body_zh), encoding="utf-8")
        (out / f"manual/chapters/{cid}.en.md").write_text(_dump(en_meta, body_en), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chapters", type=int, default=500, help="number of chapters (default: 500)")
    parser.add_argument("--out", type=Path, required=True, help="the project folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.chapters < 1:
        parser.error("--chapters must be at least 1")
    out = generate(args.out, chapters=args.chapters, seed=args.seed)
    print(f"wrote {args.chapters} chapters × 2 languages to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
