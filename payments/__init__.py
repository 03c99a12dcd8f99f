"""Payment providers: adapters implementing domain.payments.provider.PaymentProvider."""
