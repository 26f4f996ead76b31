"""Deployment files: gunicorn and nginx configuration, and prod-check (deploy/prodcheck)."""
