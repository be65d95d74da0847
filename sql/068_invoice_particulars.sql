-- 068 invoice particulars: final means final for everything printed on the document
-- (docs/invoicing.md, "What finalisation freezes"). Until now an export joined the
-- provider, the agency and the service catalog as they are today, so a final invoice
-- printed again after `contracts load` showed the new street, name or IBAN. From this
-- migration on, the moment a document becomes final (finalize, credit, settle: every
-- path sets status 'final' on an invoice row), a trigger copies every particular it
-- prints into invoice_particulars (one row per document) and invoice_line_particulars
-- (one row per line); the exports of final documents read only that copy
-- (invoice_printed_particulars), drafts read the current reference data.
--
-- Invariants:
-- - every final invoice has exactly one invoice_particulars row and one
--   invoice_line_particulars row per line; a draft has none;
-- - a frozen row is written once, in the statement that makes its invoice final, and is
--   never updated or deleted (triggers below), like the rest of a final invoice;
-- - the current particulars have one definition (invoice_current_particulars and
--   invoice_line_current_particulars): the freezing, the back-fill below and the drafts'
--   exports read the same view, so a draft prints what its final copy will freeze.

-- The particulars as the reference data gives them today, per invoice (the provider is
-- the first provider row: contracts hold one).
CREATE VIEW invoice_current_particulars AS
SELECT i.id AS invoice_id,
       coalesce(p.id, '') AS seller_id, coalesce(p.name, '') AS seller_name,
       coalesce(p.business_id, '') AS seller_business_id, coalesce(p.vat_id, '') AS seller_vat_id,
       coalesce(p.details #>> '{address,street}', '') AS seller_street,
       coalesce(p.details #>> '{address,postcode}', '') AS seller_postcode,
       coalesce(p.details #>> '{address,city}', '') AS seller_city,
       coalesce(p.details #>> '{address,country}', '') AS seller_country,
       coalesce(p.details #>> '{einvoice,scheme}', '') AS seller_einvoice_scheme,
       coalesce(p.details #>> '{einvoice,id}', '') AS seller_einvoice_id,
       coalesce(p.details #>> '{payment,iban}', '') AS seller_iban,
       coalesce(p.details #>> '{payment,bic}', '') AS seller_bic,
       a.name AS buyer_name, a.business_id AS buyer_business_id, a.branch AS buyer_branch,
       coalesce(a.account_manager, '') AS buyer_account_manager,
       coalesce(a.details #>> '{address,street}', '') AS buyer_street,
       coalesce(a.details #>> '{address,postcode}', '') AS buyer_postcode,
       coalesce(a.details #>> '{address,city}', '') AS buyer_city,
       coalesce(a.details #>> '{address,country}', '') AS buyer_country,
       coalesce(a.details #>> '{einvoice,scheme}', '') AS buyer_einvoice_scheme,
       coalesce(a.details #>> '{einvoice,id}', '') AS buyer_einvoice_id,
       coalesce((SELECT string_agg(x ->> 'name', ', ' ORDER BY x ->> 'name')
                   FROM jsonb_array_elements(coalesce(a.details -> 'contacts', '[]'::jsonb)) x
                  WHERE x ->> 'role' = 'orderer'), '') AS buyer_orderer,
       i.buyer_reference, i.payment_terms_days, 'en'::text AS language
  FROM invoice i
  JOIN agency a ON a.id = i.agency
  LEFT JOIN LATERAL (SELECT * FROM provider ORDER BY id LIMIT 1) p ON true;
COMMENT ON VIEW invoice_current_particulars IS
  'Every particular an invoice prints, as the provider, agency and reference data give them today: what a draft prints and what finalisation freezes.';

CREATE VIEW invoice_line_current_particulars AS
SELECT l.invoice_id, l.line_no, coalesce(s.name, '') AS service_name, coalesce(s.unit, '') AS unit,
       l.description
  FROM invoice_line l LEFT JOIN service s ON s.id = l.service;
COMMENT ON VIEW invoice_line_current_particulars IS
  'The texts an invoice line prints, with the catalog''s service name and unit as they are today.';

CREATE TABLE invoice_particulars (
  invoice_id              bigint PRIMARY KEY REFERENCES invoice (id),
  seller_id               text NOT NULL,
  seller_name             text NOT NULL,
  seller_business_id      text NOT NULL,
  seller_vat_id           text NOT NULL,
  seller_street           text NOT NULL,
  seller_postcode         text NOT NULL,
  seller_city             text NOT NULL,
  seller_country          text NOT NULL,
  seller_einvoice_scheme  text NOT NULL,
  seller_einvoice_id      text NOT NULL,
  seller_iban             text NOT NULL,
  seller_bic              text NOT NULL,
  buyer_name              text NOT NULL,
  buyer_business_id       text NOT NULL,
  buyer_branch            text NOT NULL,
  buyer_account_manager   text NOT NULL,
  buyer_street            text NOT NULL,
  buyer_postcode          text NOT NULL,
  buyer_city              text NOT NULL,
  buyer_country           text NOT NULL,
  buyer_einvoice_scheme   text NOT NULL,
  buyer_einvoice_id       text NOT NULL,
  buyer_orderer           text NOT NULL,
  buyer_reference         text NOT NULL,
  payment_terms_days      integer NOT NULL,
  language                text NOT NULL,
  frozen_at               timestamptz NOT NULL DEFAULT now(),
  back_filled             boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE invoice_particulars IS
  'The frozen copy of every particular a final invoice or credit note prints, written when it became final; never changed.';
COMMENT ON COLUMN invoice_particulars.invoice_id IS 'the final invoice or credit note';
COMMENT ON COLUMN invoice_particulars.seller_id IS 'the provider''s id in the contracts';
COMMENT ON COLUMN invoice_particulars.seller_name IS 'the provider''s name as printed';
COMMENT ON COLUMN invoice_particulars.seller_business_id IS 'the provider''s business id (Y-tunnus)';
COMMENT ON COLUMN invoice_particulars.seller_vat_id IS 'the provider''s VAT id, empty when none';
COMMENT ON COLUMN invoice_particulars.seller_street IS 'the provider''s street address';
COMMENT ON COLUMN invoice_particulars.seller_postcode IS 'the provider''s postcode';
COMMENT ON COLUMN invoice_particulars.seller_city IS 'the provider''s city';
COMMENT ON COLUMN invoice_particulars.seller_country IS 'the provider''s country code';
COMMENT ON COLUMN invoice_particulars.seller_einvoice_scheme IS 'the scheme of the provider''s e-invoice address';
COMMENT ON COLUMN invoice_particulars.seller_einvoice_id IS 'the provider''s e-invoice address';
COMMENT ON COLUMN invoice_particulars.seller_iban IS 'the account the payment slip names';
COMMENT ON COLUMN invoice_particulars.seller_bic IS 'the BIC of that account';
COMMENT ON COLUMN invoice_particulars.buyer_name IS 'the agency''s name as printed';
COMMENT ON COLUMN invoice_particulars.buyer_business_id IS 'the agency''s business id';
COMMENT ON COLUMN invoice_particulars.buyer_branch IS 'the agency''s branch of government';
COMMENT ON COLUMN invoice_particulars.buyer_account_manager IS 'the account manager printed, empty when none';
COMMENT ON COLUMN invoice_particulars.buyer_street IS 'the agency''s street address';
COMMENT ON COLUMN invoice_particulars.buyer_postcode IS 'the agency''s postcode';
COMMENT ON COLUMN invoice_particulars.buyer_city IS 'the agency''s city';
COMMENT ON COLUMN invoice_particulars.buyer_country IS 'the agency''s country code';
COMMENT ON COLUMN invoice_particulars.buyer_einvoice_scheme IS 'the scheme of the agency''s e-invoice address';
COMMENT ON COLUMN invoice_particulars.buyer_einvoice_id IS 'the agency''s e-invoice address';
COMMENT ON COLUMN invoice_particulars.buyer_orderer IS 'the orderer contacts printed (names, comma-separated)';
COMMENT ON COLUMN invoice_particulars.buyer_reference IS 'the buyer reference printed';
COMMENT ON COLUMN invoice_particulars.payment_terms_days IS 'the payment terms printed, in days';
COMMENT ON COLUMN invoice_particulars.language IS 'the language the document is printed in (en)';
COMMENT ON COLUMN invoice_particulars.frozen_at IS 'when the copy was taken';
COMMENT ON COLUMN invoice_particulars.back_filled IS
  'true when migration 068 took the copy from the particulars of that day, for a document finalised before it';

CREATE TABLE invoice_line_particulars (
  invoice_id    bigint NOT NULL,
  line_no       integer NOT NULL,
  service_name  text NOT NULL,
  unit          text NOT NULL,
  description   text NOT NULL,
  PRIMARY KEY (invoice_id, line_no),
  FOREIGN KEY (invoice_id, line_no) REFERENCES invoice_line (invoice_id, line_no)
);
COMMENT ON TABLE invoice_line_particulars IS
  'The frozen texts of each line of a final invoice or credit note: the catalog''s service name and unit, the description.';
COMMENT ON COLUMN invoice_line_particulars.invoice_id IS 'the final invoice or credit note';
COMMENT ON COLUMN invoice_line_particulars.line_no IS 'the line';
COMMENT ON COLUMN invoice_line_particulars.service_name IS 'the service''s catalog name printed as the section heading, empty when none';
COMMENT ON COLUMN invoice_line_particulars.unit IS 'the catalog unit printed after the quantity, empty when none';
COMMENT ON COLUMN invoice_line_particulars.description IS 'the line''s text as printed';

-- What the exports read: the frozen copy of a final document, the current particulars
-- of a draft. A final document without its copy has no row here (the store refuses it).
CREATE VIEW invoice_printed_particulars AS
SELECT f.invoice_id, f.seller_id, f.seller_name, f.seller_business_id, f.seller_vat_id, f.seller_street,
       f.seller_postcode, f.seller_city, f.seller_country, f.seller_einvoice_scheme, f.seller_einvoice_id,
       f.seller_iban, f.seller_bic, f.buyer_name, f.buyer_business_id, f.buyer_branch, f.buyer_account_manager,
       f.buyer_street, f.buyer_postcode, f.buyer_city, f.buyer_country, f.buyer_einvoice_scheme,
       f.buyer_einvoice_id, f.buyer_orderer, f.buyer_reference, f.payment_terms_days, f.language
  FROM invoice_particulars f JOIN invoice i ON i.id = f.invoice_id AND i.status = 'final'
UNION ALL
SELECT c.* FROM invoice_current_particulars c JOIN invoice i ON i.id = c.invoice_id AND i.status = 'draft';
COMMENT ON VIEW invoice_printed_particulars IS
  'The particulars an export prints: the frozen copy of a final document, the current ones of a draft.';

CREATE VIEW invoice_line_printed_particulars AS
SELECT f.invoice_id, f.line_no, f.service_name, f.unit, f.description
  FROM invoice_line_particulars f JOIN invoice i ON i.id = f.invoice_id AND i.status = 'final'
UNION ALL
SELECT c.* FROM invoice_line_current_particulars c JOIN invoice i ON i.id = c.invoice_id AND i.status = 'draft';
COMMENT ON VIEW invoice_line_printed_particulars IS
  'The texts an export prints for each line: frozen for a final document, current for a draft.';

-- The freezing. One statement-level trigger on invoice catches every way a document
-- becomes final (finalize, credit, settle all go through store::assign_numbers' UPDATE;
-- a final row inserted directly is caught too), so no path can forget the copy.
CREATE FUNCTION invoice_freeze_particulars() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO invoice_particulars
      SELECT c.* FROM invoice_current_particulars c
       WHERE c.invoice_id IN (SELECT n.id FROM changed_new n JOIN changed_old o ON o.id = n.id
                               WHERE o.status = 'draft' AND n.status = 'final');
    INSERT INTO invoice_line_particulars
      SELECT c.* FROM invoice_line_current_particulars c
       WHERE c.invoice_id IN (SELECT n.id FROM changed_new n JOIN changed_old o ON o.id = n.id
                               WHERE o.status = 'draft' AND n.status = 'final');
  ELSE
    INSERT INTO invoice_particulars
      SELECT c.* FROM invoice_current_particulars c
       WHERE c.invoice_id IN (SELECT n.id FROM changed_new n WHERE n.status = 'final');
    INSERT INTO invoice_line_particulars
      SELECT c.* FROM invoice_line_current_particulars c
       WHERE c.invoice_id IN (SELECT n.id FROM changed_new n WHERE n.status = 'final');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER invoice_particulars_freeze_update AFTER UPDATE ON invoice
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_freeze_particulars();
CREATE TRIGGER invoice_particulars_freeze_insert AFTER INSERT ON invoice REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_freeze_particulars();

-- The frozen copy is immutable: written only for a final invoice, never updated, never
-- deleted, never truncated while final invoices exist.
CREATE FUNCTION invoice_particulars_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hit record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT i.id INTO hit FROM invoice i WHERE i.status <> 'final'
       AND i.id IN (SELECT DISTINCT invoice_id FROM changed_new) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'invoice id % is a draft: % holds the frozen particulars of final invoices only', hit.id,
        TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% holds the frozen particulars of final invoices and cannot be changed (%)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER invoice_particulars_insert AFTER INSERT ON invoice_particulars REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_particulars_guard();
CREATE TRIGGER invoice_particulars_immutable BEFORE UPDATE OR DELETE ON invoice_particulars
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_particulars_guard();
CREATE TRIGGER invoice_line_particulars_insert AFTER INSERT ON invoice_line_particulars
  REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_particulars_guard();
CREATE TRIGGER invoice_line_particulars_immutable BEFORE UPDATE OR DELETE ON invoice_line_particulars
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_particulars_guard();
CREATE TRIGGER invoice_particulars_no_truncate BEFORE TRUNCATE ON invoice_particulars
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();
CREATE TRIGGER invoice_line_particulars_no_truncate BEFORE TRUNCATE ON invoice_line_particulars
  FOR EACH STATEMENT EXECUTE FUNCTION invoice_refuse_truncate();

-- Documents finalised before this migration: their copy is taken once, here, from the
-- particulars of the day the database is migrated (the best that is left of what they
-- printed), and marked back_filled.
INSERT INTO invoice_particulars
  SELECT c.*, now(), true FROM invoice_current_particulars c JOIN invoice i ON i.id = c.invoice_id
   WHERE i.status = 'final';
INSERT INTO invoice_line_particulars
  SELECT c.* FROM invoice_line_current_particulars c JOIN invoice i ON i.id = c.invoice_id
   WHERE i.status = 'final';
