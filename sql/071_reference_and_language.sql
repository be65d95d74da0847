-- 071 reference numbers and the agency's language (docs/invoicing.md, "Payment
-- references" and "The agency's language").
--
-- - invoice.reference / invoice.rf_reference: the payment reference of a final invoice
--   or credit note, the Finnish reference number (viitenumero: the number's digits and a
--   7-3-1 check digit) and its RF creditor-reference form (ISO 11649). Stored generated
--   columns of invoice.number through the IMMUTABLE functions below, so they exist
--   exactly when the number does (NULL for a draft), are written in the statement that
--   numbers the invoice, and never change: a generated column cannot be set, and 030's
--   invoice_final_immutable refuses any UPDATE of a final row. core/reference.cpp
--   computes the same (an integration test compares them).
-- - agency.language (fi | sv | en, default fi): the language the agency's documents are
--   printed in; agency and provider details gain einvoice.operator (the e-invoice
--   operator's id, Finvoice's intermediator), service gains its names by language and
--   its VAT exemption reason.
-- - the particulars of 068 freeze the language, both operators, the service's name in the
--   agency's language and the line's exemption reason; documents frozen before this
--   migration keep what they froze (language 'en', the catalog's Finnish names) and get
--   empty operators and exemption reasons.
-- The column additions are IF NOT EXISTS and the functions and views CREATE OR REPLACE,
-- so the migration can run again after 068 is re-run (tests/integration/invoicing).

-- The 7-3-1 check digit of a base of 3..19 digits; NULL for anything else.
CREATE OR REPLACE FUNCTION finnish_reference(base text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN base ~ '^[0-9]{3,19}$' THEN
    base || ((10 - (SELECT sum(substr(reverse(base), i, 1)::int * (ARRAY[7, 3, 1])[(i - 1) % 3 + 1])
                      FROM generate_series(1, length(base)) i) % 10) % 10)::text
  END
$$;
COMMENT ON FUNCTION finnish_reference(text) IS
  'base || its 7-3-1 check digit (the Finnish reference number); NULL unless base is 3..19 digits';

-- "RF" + two mod-97 check digits + a reference of 1..21 digits or letters A-Z; NULL otherwise.
CREATE OR REPLACE FUNCTION rf_reference(reference text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN upper(reference) ~ '^[0-9A-Z]{1,21}$' THEN
    'RF' || lpad((98 - (SELECT (string_agg(CASE WHEN ch ~ '[0-9]' THEN ch ELSE (ascii(ch) - 55)::text END, ''
                                          ORDER BY i))::numeric % 97
                          FROM (SELECT i, substr(upper(reference) || 'RF00', i, 1) AS ch
                                  FROM generate_series(1, length(reference) + 4) i) c))::text, 2, '0')
      || upper(reference)
  END
$$;
COMMENT ON FUNCTION rf_reference(text) IS
  'the ISO 11649 creditor reference (RF, two check digits, the reference); NULL unless 1..21 digits or letters';

-- An invoice number's reference: its digits as the base ("2027-000123" -> "20270001233").
CREATE OR REPLACE FUNCTION invoice_number_reference(number text) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  PARALLEL SAFE AS $$
  SELECT finnish_reference(regexp_replace(number, '[^0-9]', '', 'g'))
$$;
COMMENT ON FUNCTION invoice_number_reference(text) IS
  'the Finnish reference number of an invoice number: its digits and their 7-3-1 check digit';

ALTER TABLE invoice
  ADD COLUMN IF NOT EXISTS reference text GENERATED ALWAYS AS (invoice_number_reference(number)) STORED,
  ADD COLUMN IF NOT EXISTS rf_reference text
    GENERATED ALWAYS AS (rf_reference(invoice_number_reference(number))) STORED;
COMMENT ON COLUMN invoice.reference IS
  'the payment reference (Finnish reference number) of a final document, from its number; NULL for a draft';
COMMENT ON COLUMN invoice.rf_reference IS 'the same reference in RF creditor-reference form (ISO 11649)';

-- A number whose digits give no reference (fewer than 3 or more than 19) cannot be final.
ALTER TABLE invoice DROP CONSTRAINT IF EXISTS invoice_reference_present;
ALTER TABLE invoice ADD CONSTRAINT invoice_reference_present CHECK (number IS NULL OR reference IS NOT NULL);

ALTER TABLE agency ADD COLUMN IF NOT EXISTS language text NOT NULL DEFAULT 'fi'
  CHECK (language IN ('fi', 'sv', 'en'));
COMMENT ON COLUMN agency.language IS 'the language the agency''s invoices are printed in (agencies.yaml language)';
COMMENT ON COLUMN agency.details IS
  'address, einvoice {scheme, id, operator}, contacts, as agencies.yaml gives them';
COMMENT ON COLUMN provider.details IS 'address, einvoice {scheme, id, operator}, payment, as catalog.yaml gives them';

ALTER TABLE service
  ADD COLUMN IF NOT EXISTS names jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN IF NOT EXISTS exemption_reason text NOT NULL DEFAULT '';
COMMENT ON COLUMN service.names IS
  'the catalog''s names by language, in the order written: [{"language": "fi", "name": "..."}, ...]';
COMMENT ON COLUMN service.exemption_reason IS 'category E: the reason the service is exempt; empty otherwise';

-- The name of a service in a language: that language's, else fi, else the first written,
-- else the service's name column.
CREATE OR REPLACE FUNCTION service_name_in(names jsonb, language text, fallback text) RETURNS text LANGUAGE sql
  IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce((SELECT x ->> 'name' FROM jsonb_array_elements(names) WITH ORDINALITY e(x, n)
                    ORDER BY (x ->> 'language') = language DESC, (x ->> 'language') = 'fi' DESC, n LIMIT 1),
                  fallback)
$$;
COMMENT ON FUNCTION service_name_in(jsonb, text, text) IS
  'a service''s name in a language, falling back to fi, then the first written, then fallback';

-- The particulars: the new columns go at the end of the views and tables.
ALTER TABLE invoice_particulars
  ADD COLUMN IF NOT EXISTS seller_einvoice_operator text NOT NULL DEFAULT '',
  ADD COLUMN IF NOT EXISTS buyer_einvoice_operator text NOT NULL DEFAULT '';
COMMENT ON COLUMN invoice_particulars.language IS
  'the language the document is printed in: the agency''s (fi, sv, en); en for documents frozen before 071';
COMMENT ON COLUMN invoice_particulars.seller_einvoice_operator IS 'the provider''s e-invoice operator id, empty when none';
COMMENT ON COLUMN invoice_particulars.buyer_einvoice_operator IS 'the agency''s e-invoice operator id, empty when none';
ALTER TABLE invoice_line_particulars ADD COLUMN IF NOT EXISTS vat_exemption_reason text NOT NULL DEFAULT '';
COMMENT ON COLUMN invoice_line_particulars.service_name IS
  'the service''s catalog name in the agency''s language (from 071; before, the Finnish one), empty when none';
COMMENT ON COLUMN invoice_line_particulars.vat_exemption_reason IS
  'category E: the catalog''s exemption reason printed; empty otherwise';

DROP VIEW IF EXISTS invoice_printed_particulars, invoice_line_printed_particulars;

CREATE OR REPLACE VIEW invoice_current_particulars AS
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
       i.buyer_reference, i.payment_terms_days, a.language,
       coalesce(p.details #>> '{einvoice,operator}', '') AS seller_einvoice_operator,
       coalesce(a.details #>> '{einvoice,operator}', '') AS buyer_einvoice_operator
  FROM invoice i
  JOIN agency a ON a.id = i.agency
  LEFT JOIN LATERAL (SELECT * FROM provider ORDER BY id LIMIT 1) p ON true;

CREATE OR REPLACE VIEW invoice_line_current_particulars AS
SELECT l.invoice_id, l.line_no, coalesce(service_name_in(s.names, a.language, s.name), '') AS service_name,
       coalesce(s.unit, '') AS unit, l.description,
       CASE WHEN l.vat_category = 'E' THEN coalesce(s.exemption_reason, '') ELSE '' END AS vat_exemption_reason
  FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id JOIN agency a ON a.id = i.agency
  LEFT JOIN service s ON s.id = l.service;
COMMENT ON VIEW invoice_line_current_particulars IS
  'The texts an invoice line prints, with the catalog''s service name (in the agency''s language), unit and exemption reason as they are today.';

CREATE VIEW invoice_printed_particulars AS
SELECT f.invoice_id, f.seller_id, f.seller_name, f.seller_business_id, f.seller_vat_id, f.seller_street,
       f.seller_postcode, f.seller_city, f.seller_country, f.seller_einvoice_scheme, f.seller_einvoice_id,
       f.seller_iban, f.seller_bic, f.buyer_name, f.buyer_business_id, f.buyer_branch, f.buyer_account_manager,
       f.buyer_street, f.buyer_postcode, f.buyer_city, f.buyer_country, f.buyer_einvoice_scheme,
       f.buyer_einvoice_id, f.buyer_orderer, f.buyer_reference, f.payment_terms_days, f.language,
       f.seller_einvoice_operator, f.buyer_einvoice_operator
  FROM invoice_particulars f JOIN invoice i ON i.id = f.invoice_id AND i.status = 'final'
UNION ALL
SELECT c.* FROM invoice_current_particulars c JOIN invoice i ON i.id = c.invoice_id AND i.status = 'draft';
COMMENT ON VIEW invoice_printed_particulars IS
  'The particulars an export prints: the frozen copy of a final document, the current ones of a draft.';

CREATE VIEW invoice_line_printed_particulars AS
SELECT f.invoice_id, f.line_no, f.service_name, f.unit, f.description, f.vat_exemption_reason
  FROM invoice_line_particulars f JOIN invoice i ON i.id = f.invoice_id AND i.status = 'final'
UNION ALL
SELECT c.* FROM invoice_line_current_particulars c JOIN invoice i ON i.id = c.invoice_id AND i.status = 'draft';
COMMENT ON VIEW invoice_line_printed_particulars IS
  'The texts an export prints for each line: frozen for a final document, current for a draft.';

-- The freezing of 068, now naming its columns (the tables' new columns follow frozen_at
-- and back_filled, the views' follow language).
CREATE OR REPLACE FUNCTION invoice_freeze_particulars() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT coalesce(array_agg(n.id), '{}') INTO ids FROM changed_new n JOIN changed_old o ON o.id = n.id
     WHERE o.status = 'draft' AND n.status = 'final';
  ELSE
    SELECT coalesce(array_agg(n.id), '{}') INTO ids FROM changed_new n WHERE n.status = 'final';
  END IF;
  IF cardinality(ids) = 0 THEN RETURN NULL; END IF;
  INSERT INTO invoice_particulars (invoice_id, seller_id, seller_name, seller_business_id, seller_vat_id,
      seller_street, seller_postcode, seller_city, seller_country, seller_einvoice_scheme, seller_einvoice_id,
      seller_iban, seller_bic, buyer_name, buyer_business_id, buyer_branch, buyer_account_manager, buyer_street,
      buyer_postcode, buyer_city, buyer_country, buyer_einvoice_scheme, buyer_einvoice_id, buyer_orderer,
      buyer_reference, payment_terms_days, language, seller_einvoice_operator, buyer_einvoice_operator)
    SELECT c.invoice_id, c.seller_id, c.seller_name, c.seller_business_id, c.seller_vat_id, c.seller_street,
           c.seller_postcode, c.seller_city, c.seller_country, c.seller_einvoice_scheme, c.seller_einvoice_id,
           c.seller_iban, c.seller_bic, c.buyer_name, c.buyer_business_id, c.buyer_branch, c.buyer_account_manager,
           c.buyer_street, c.buyer_postcode, c.buyer_city, c.buyer_country, c.buyer_einvoice_scheme,
           c.buyer_einvoice_id, c.buyer_orderer, c.buyer_reference, c.payment_terms_days, c.language,
           c.seller_einvoice_operator, c.buyer_einvoice_operator
      FROM invoice_current_particulars c WHERE c.invoice_id = ANY (ids);
  INSERT INTO invoice_line_particulars (invoice_id, line_no, service_name, unit, description, vat_exemption_reason)
    SELECT c.invoice_id, c.line_no, c.service_name, c.unit, c.description, c.vat_exemption_reason
      FROM invoice_line_current_particulars c WHERE c.invoice_id = ANY (ids);
  RETURN NULL;
END $$;
