# Danish dates as the secretariat writes them: "12. december 2026 kl. 23:59".
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
