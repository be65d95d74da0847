-- 002: every file of contracts/ as loaded, byte for byte, with its hash. Jobs rebuild the
-- contract set from these texts, so a bill never depends on a file that can change later.
CREATE TABLE contract_file (
  path          text PRIMARY KEY,          -- as given to the loader, e.g. contracts/agreements/ktl.yaml
  kind          text NOT NULL CHECK (kind IN ('catalog', 'agencies', 'price_list', 'agreement', 'cost_model')),
  content_hash  text NOT NULL,             -- SHA-256 of source_text
  source_text   text NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now()
);
