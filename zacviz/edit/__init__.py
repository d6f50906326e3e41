"""The edit session shared by the editor and the kiosk (no Qt)."""
