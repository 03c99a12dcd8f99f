"""VAT: organisations' tax status, rates as data with validity dates, and every amount as net + VAT = gross."""
