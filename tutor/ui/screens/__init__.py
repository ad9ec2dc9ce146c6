"""Screens of the tutor app: picker, lesson, error, help, edit."""
