"""Business rules and tables. Imports nothing from api/, search/ or payments/."""
