{{ transaction_summary('trPackageTransactionSummary') }}
