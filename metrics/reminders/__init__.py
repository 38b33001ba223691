"""Reminders and escalation (issue 30): who owes what (work.py), when each is chased
(schedule.py), the digest each person gets (digest.py), mail through the council's SMTP
server (mail.py), the run that sends them once each (run.py), and the choices people make:
digests off, a question's officer (choices.py). No Streamlit here: the UI passes the person
in."""
