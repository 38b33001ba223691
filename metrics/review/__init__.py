"""The quarterly review: the cycle, commentary, agreed statuses, actions and sign-off."""
