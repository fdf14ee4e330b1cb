"""The tenants' mobile web (FastAPI): stall pages and the payment platforms' notifications."""
