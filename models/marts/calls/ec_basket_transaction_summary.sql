{{ transaction_summary('ecBasketTransactionSummary') }}
