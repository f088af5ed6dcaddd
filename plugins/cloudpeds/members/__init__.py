"""Consortium member builds: one manual, each member's referral routes, numbers, stocked medicines and notes."""
