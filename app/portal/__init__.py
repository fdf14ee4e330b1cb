"""The tenants' portal (租户自助): a phone-sized web app served by `python -m app portal`."""
