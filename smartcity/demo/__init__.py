"""Demo data for a first run and for screenshots: `manage.py load_demo`, then `manage.py demo_logins`."""
