-- A call or meeting logged before summaries were tracked is flagged like one logged today.
UPDATE interactions SET needs_summary = (type IN ('call', 'meeting') AND (summary IS NULL OR summary = ''));
-- A client's page counts its conversations still without a summary: from the index alone. (Not in the
-- entity table's index list, which migration 1 renders before this column exists.)
CREATE INDEX interactions_client_id__needs_summary ON interactions (client_id, needs_summary);
-- Today's "conversations without a summary", newest first, without reading every interaction.
CREATE INDEX interactions_workspace_id__needs_summary__occurred_at ON interactions (workspace_id, needs_summary, occurred_at);
