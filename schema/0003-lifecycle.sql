-- A call or meeting logged before summaries were tracked is flagged like one logged today.
UPDATE interactions SET needs_summary = (type IN ('call', 'meeting') AND (summary IS NULL OR summary = ''));
