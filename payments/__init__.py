"""Payment providers: adapters implementing domain.ports.payments.PaymentProvider."""
