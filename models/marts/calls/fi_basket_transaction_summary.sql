{{ transaction_summary('fiBasketTransactionSummary') }}
