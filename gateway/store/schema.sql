-- postdesk store schema (SQLite 3, WAL, synchronous=FULL). Version in PRAGMA user_version.
-- Queue states are nouns, as in Postfix's queue directories (STATES in docs/STATES.md):
--   inbound.state: received -> active -> done | deferred (retry at next_attempt_at) | quarantined
-- Nothing is ever deleted to "fix" a problem: a poison mail is quarantined with its raw bytes.

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Per IMAP mailbox: how far intake has read. Advanced in the same transaction that commits the
-- fetched mails, so a restart never skips or re-reads a committed UID.
CREATE TABLE IF NOT EXISTS cursor (
  account     TEXT NOT NULL,      -- [mailbox.NAME]
  folder      TEXT NOT NULL,
  uidvalidity INTEGER NOT NULL,
  last_uid    INTEGER NOT NULL,
  PRIMARY KEY (account, folder)
);

-- Every raw mail, committed before the IMAP server is told anything (flag, move). The bytes are in
-- the spool (spool.h: segment files beside this database, synced before the row commits).
CREATE TABLE IF NOT EXISTS inbound (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,             -- imap | import | chat
  account         TEXT NOT NULL,             -- mailbox name, "import", bot name
  folder          TEXT NOT NULL DEFAULT '',
  uidvalidity     INTEGER,
  uid             INTEGER,                   -- NULL for non-IMAP sources
  dedupe_key      TEXT NOT NULL,             -- "mid:<Message-ID>|<from>" or "sha256:<hex>"
  size            INTEGER NOT NULL,          -- of the raw bytes
  spool           TEXT,                      -- the spool segment holding them (NULL: in inbound_raw)
  spool_offset    INTEGER,                   -- where they begin in it
  queue           TEXT NOT NULL DEFAULT '',  -- the mailbox's queue
  state           TEXT NOT NULL DEFAULT 'received'
                  CHECK (state IN ('received','active','deferred','quarantined','done')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  reason          TEXT,                      -- quarantine reason code
  server_done     INTEGER NOT NULL DEFAULT 0,-- 1 once moved/flagged on the IMAP server
  received_at     INTEGER NOT NULL,
  message         INTEGER,                   -- the ticket message made from it
  UNIQUE (account, folder, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS inbound_state ON inbound (state, next_attempt_at);

-- The raw bytes of rows stored by schema version 1 (version 2 writes them to the spool). Apart from
-- the queue state: SQLite rewrites a whole row on UPDATE, so keeping a 5 MB blob in `inbound` made
-- every state change write 5 MB to the WAL (measured: ingest 3x slower).
CREATE TABLE IF NOT EXISTS inbound_raw (
  inbound INTEGER PRIMARY KEY REFERENCES inbound (id),
  raw     BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS inbound_dedupe ON inbound (account, folder, dedupe_key);

CREATE TABLE IF NOT EXISTS ticket (
  number           INTEGER PRIMARY KEY,      -- shown as [#N]
  subject          TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('new','open','pending','solved','closed')),
  queue            TEXT NOT NULL,
  priority         TEXT NOT NULL DEFAULT 'normal',
  customer_address TEXT NOT NULL,
  customer_name    TEXT NOT NULL,
  assignee         TEXT,
  linked_ticket    INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  closed_at        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ticket_status ON ticket (status, queue);
-- ingest asks "is this sender a known customer?" for every mail (the Sieve `customer` fact).
CREATE INDEX IF NOT EXISTS ticket_customer ON ticket (customer_address);

CREATE TABLE IF NOT EXISTS participant (
  ticket  INTEGER NOT NULL REFERENCES ticket (number),
  address TEXT NOT NULL,                     -- lower case
  name    TEXT NOT NULL,
  role    TEXT NOT NULL,                     -- customer | cc
  PRIMARY KEY (ticket, address)
);

CREATE TABLE IF NOT EXISTS message (
  id           INTEGER PRIMARY KEY,
  ticket       INTEGER REFERENCES ticket (number),  -- NULL for an orphan bounce
  direction    TEXT NOT NULL CHECK (direction IN ('in','out','note')),
  inbound      INTEGER REFERENCES inbound (id),
  dedupe_key   TEXT UNIQUE,
  message_id   TEXT,
  in_reply_to  TEXT,
  refs         TEXT NOT NULL DEFAULT '[]',   -- JSON array
  from_name    TEXT NOT NULL DEFAULT '',
  from_address TEXT NOT NULL DEFAULT '',
  recipients   TEXT NOT NULL DEFAULT '{}',   -- JSON {"to":[...],"cc":[...]}
  subject      TEXT NOT NULL DEFAULT '',
  date         TEXT,                         -- UTC ISO 8601 from the Date header
  auto_kind    TEXT NOT NULL DEFAULT 'none',
  text         TEXT NOT NULL DEFAULT '',
  html         TEXT,
  reply_text   TEXT NOT NULL DEFAULT '',
  warnings     TEXT NOT NULL DEFAULT '[]',   -- JSON array of {code,detail}
  created_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS message_ticket ON message (ticket);
CREATE INDEX IF NOT EXISTS message_mid ON message (message_id);
CREATE INDEX IF NOT EXISTS message_inbound ON message (inbound);

-- An attachment's bytes are found by their SHA-256 in attachment_data (content-addressed: a
-- filename is never used as a path; the same bytes are kept once).
CREATE TABLE IF NOT EXISTS attachment (
  id           INTEGER PRIMARY KEY,
  message      INTEGER NOT NULL REFERENCES message (id),
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  inline       INTEGER NOT NULL DEFAULT 0,
  content_id   TEXT
);
CREATE INDEX IF NOT EXISTS attachment_message ON attachment (message);

-- Where the bytes of each attachment are: in the spool, like raw mails (version 3). Stores of
-- versions 1 and 2 kept them as files, DATA/attachments/ab[/cd]/<sha256>, still read from there.
CREATE TABLE IF NOT EXISTS attachment_data (
  sha256       TEXT PRIMARY KEY,
  spool        TEXT NOT NULL,
  spool_offset INTEGER NOT NULL,
  size         INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tag (
  ticket INTEGER NOT NULL REFERENCES ticket (number),
  tag    TEXT NOT NULL,
  PRIMARY KEY (ticket, tag)
);

CREATE TABLE IF NOT EXISTS event (
  id     INTEGER PRIMARY KEY,
  ticket INTEGER REFERENCES ticket (number),
  at     INTEGER NOT NULL,
  kind   TEXT NOT NULL,                      -- created | followup | reopened | linked | bounce | suppressed | status | ...
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS event_ticket ON event (ticket);


-- Every outgoing mail, written in the same transaction as the ticket change that causes it, with
-- its final bytes and Message-ID (so a retry after a crash resends the same mail).
--   outbox.state: queued -> active -> sent | deferred (retry at next_attempt_at) | failed
CREATE TABLE IF NOT EXISTS outbox (
  id              INTEGER PRIMARY KEY,
  ticket          INTEGER REFERENCES ticket (number),
  kind            TEXT NOT NULL,             -- ack | reply | notify | explain | alert
  message_id      TEXT NOT NULL UNIQUE,      -- without <>
  mail_from       TEXT NOT NULL,             -- envelope sender ('' = null reverse path)
  recipients      TEXT NOT NULL,             -- envelope recipients, comma separated
  bytes           BLOB NOT NULL,             -- the whole RFC 5322 message, CRLF
  mailbox         TEXT NOT NULL DEFAULT '',  -- [mailbox.NAME] whose Sent folder gets a copy ('' = none)
  state           TEXT NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued','active','deferred','sent','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  sent_copy       INTEGER NOT NULL DEFAULT 0,-- 1 once APPENDed to the Sent folder
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox (state, next_attempt_at);
-- The acknowledgment rate limit looks up recent acks to a sender for every new ticket.
CREATE INDEX IF NOT EXISTS outbox_ack ON outbox (recipients, created_at) WHERE kind = 'ack';

-- What the rules decided for each inbound mail when it was filed, with the store facts they saw
-- (`customer`, `ticket`), so `postdesk replay` can show where today's rules would differ.
-- actions: JSON [{"action","args":[…]}] in order, the implicit keep last as {"action":"keep"};
-- fired: JSON [{"file","line"}].
CREATE TABLE IF NOT EXISTS rule_decision (
  inbound  INTEGER PRIMARY KEY REFERENCES inbound (id),
  customer TEXT NOT NULL,                   -- known | new
  ticket   TEXT NOT NULL,                   -- new | followup
  actions  TEXT NOT NULL,
  fired    TEXT NOT NULL DEFAULT '[]',
  at       INTEGER NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- The chat bridge (Telegram, the generic signed webhook). docs/STATES.md has the flow.

-- Every chat update exactly as received, committed BEFORE Telegram is told (the getUpdates offset
-- that confirms it is sent afterwards; the webhook answers 200 afterwards). UNIQUE makes a
-- re-delivery, a replay or a webhook/polling switch harmless.
--   chat_update.state: received -> done | quarantined (unparseable: kept with its error)
CREATE TABLE IF NOT EXISTS chat_update (
  id          INTEGER PRIMARY KEY,
  bot         TEXT NOT NULL,               -- "telegram", or the webhook's source
  update_key  TEXT NOT NULL,               -- Telegram update_id, or the webhook's event_id
  raw         TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'received' CHECK (state IN ('received','done','quarantined')),
  error       TEXT,
  received_at INTEGER NOT NULL,
  UNIQUE (bot, update_key)
);
CREATE INDEX IF NOT EXISTS chat_update_state ON chat_update (state, id);

-- getUpdates' next offset per bot, advanced in the transaction that stores the batch.
CREATE TABLE IF NOT EXISTS chat_cursor (
  bot         TEXT PRIMARY KEY,
  next_offset INTEGER NOT NULL,
  polled_at   INTEGER NOT NULL               -- last successful getUpdates (the 24 h health check)
);

CREATE TABLE IF NOT EXISTS chat (
  source      TEXT NOT NULL,
  chat_id     INTEGER NOT NULL,
  type        TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  active      INTEGER NOT NULL DEFAULT 1,    -- 0 once the bot was blocked or removed (403)
  migrated_to INTEGER,                       -- the supergroup this group became
  bot_status  TEXT NOT NULL DEFAULT '',      -- my_chat_member: member | administrator | left ...
  PRIMARY KEY (source, chat_id)
);

-- A chat (or forum topic) conversation; a new one starts after the idle window or a closed ticket.
CREATE TABLE IF NOT EXISTS conversation (
  id                    INTEGER PRIMARY KEY,
  source                TEXT NOT NULL,
  chat_id               INTEGER NOT NULL,
  thread_key            INTEGER NOT NULL DEFAULT 0,
  opened_at             INTEGER NOT NULL,
  first_message_id      INTEGER NOT NULL DEFAULT 0,
  last_msg_at           INTEGER NOT NULL,
  record_from           INTEGER NOT NULL DEFAULT 0,  -- first message_id of the opening record (0: all)
  subject               TEXT NOT NULL DEFAULT '',
  root_mid              TEXT,                        -- Message-ID of the opening record, once composed
  last_mid              TEXT,                        -- of the latest record mail (threading)
  record_seq            INTEGER NOT NULL DEFAULT 0,  -- record mails composed so far
  ticket                INTEGER REFERENCES ticket (number),
  unanswered_since      INTEGER NOT NULL DEFAULT 0,
  unanswered_message_id INTEGER NOT NULL DEFAULT 0,
  alert_level           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS conversation_chat ON conversation (source, chat_id, thread_key, id);
CREATE INDEX IF NOT EXISTS conversation_ticket ON conversation (ticket);

-- One row per chat message and per edit (edits are appended, never overwrite). `update` points
-- at the raw update, which is parsed again when a record is composed.
CREATE TABLE IF NOT EXISTS chat_entry (
  id           INTEGER PRIMARY KEY,
  source       TEXT NOT NULL,
  chat_id      INTEGER NOT NULL,
  message_id   INTEGER NOT NULL,
  edit_date    INTEGER NOT NULL DEFAULT 0,   -- 0: the message itself; else this edit
  conversation INTEGER NOT NULL REFERENCES conversation (id),
  role         TEXT NOT NULL,                -- customer | agent | bot
  update_row   INTEGER NOT NULL REFERENCES chat_update (id),
  date         INTEGER NOT NULL,
  recorded     INTEGER NOT NULL DEFAULT 0,   -- 1 once in a record mail
  UNIQUE (source, chat_id, message_id, edit_date)
);
CREATE INDEX IF NOT EXISTS chat_entry_conversation ON chat_entry (conversation, recorded);

-- Files of chat messages, fetched once (getFile, at most 20 MB), bytes in the attachment store.
CREATE TABLE IF NOT EXISTS chat_file (
  source         TEXT NOT NULL,
  file_unique_id TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('fetched','too_big','failed')),
  sha256         TEXT NOT NULL DEFAULT '',
  size           INTEGER NOT NULL DEFAULT 0,
  detail         TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (source, file_unique_id)
);

-- Messages the bot posts: ticket notices and agents' email replies, in parts of <= 4096 UTF-16
-- units. dedupe makes re-processing one agent mail never double-post.
--   chat_outbox.state: queued -> sent | deferred (retry at next_attempt_at) | failed
CREATE TABLE IF NOT EXISTS chat_outbox (
  id              INTEGER PRIMARY KEY,
  source          TEXT NOT NULL,
  chat_id         INTEGER NOT NULL,
  thread_key      INTEGER NOT NULL DEFAULT 0,
  reply_to        INTEGER NOT NULL DEFAULT 0,
  ticket          INTEGER REFERENCES ticket (number),
  conversation    INTEGER REFERENCES conversation (id),
  kind            TEXT NOT NULL,             -- notice | reply
  dedupe          TEXT NOT NULL UNIQUE,
  text            TEXT NOT NULL,
  agent_address   TEXT NOT NULL DEFAULT '',  -- who hears about a failed reply
  state           TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','deferred','sent','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  sent_message_id INTEGER,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX IF NOT EXISTS chat_outbox_state ON chat_outbox (state, next_attempt_at);

-- Unanswered-message alerts sent; the key makes each level fire once per waiting streak.
CREATE TABLE IF NOT EXISTS chat_alert (
  conversation INTEGER NOT NULL REFERENCES conversation (id),
  since        INTEGER NOT NULL,
  level        INTEGER NOT NULL,
  sent_at      INTEGER NOT NULL,
  PRIMARY KEY (conversation, since, level)
);

PRAGMA user_version = 3;
