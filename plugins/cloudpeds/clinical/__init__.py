"""Clinical decision logic: the urgency scale, findings, doses, the evaluator, safety rules and case tests.

Pure Python; imports nothing from MkDocs (architecture rule).
"""
