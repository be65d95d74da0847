#include "render/labels.hpp"

#include <cstddef>

#include "core/errors.hpp"

namespace costcover::render {

namespace {

struct Row {
  Label which;
  std::string_view name, fi, sv, en;
};

// In enum order (labels_test checks it).
constexpr Row kRows[] = {
    {Label::invoice_title, "invoice_title", "LASKU", "FAKTURA", "INVOICE"},
    {Label::credit_note_title, "credit_note_title", "HYVITYSLASKU", "KREDITFAKTURA", "CREDIT NOTE"},
    {Label::draft_title, "draft_title", "LUONNOS", "UTKAST", "DRAFT (LUONNOS)"},
    {Label::draft_watermark, "draft_watermark", "LUONNOS", "UTKAST", "DRAFT &middot; LUONNOS"},
    {Label::draft_not_for_payment, "draft_not_for_payment", "LUONNOS &ndash; EI MAKSETTAVAKSI",
     "UTKAST &ndash; SKA INTE BETALAS", "DRAFT &ndash; NOT FOR PAYMENT"},
    {Label::page, "page", "Sivu", "Sida", "Page"},
    {Label::bill_to, "bill_to", "Laskutettava", "Faktureras", "Bill to"},
    {Label::orderer, "orderer", "Tilaaja", "Beställare", "Orderer"},
    {Label::business_id, "business_id", "Y-tunnus", "FO-nummer", "Business ID"},
    {Label::vat_id, "vat_id", "ALV-tunniste", "Momsnummer", "VAT"},
    {Label::einvoice_address, "einvoice_address", "Verkkolaskuosoite", "E-fakturaadress", "E-invoice address"},
    {Label::invoice_number, "invoice_number", "Laskun numero", "Fakturanummer", "Invoice number"},
    {Label::credit_note_number, "credit_note_number", "Hyvityslaskun numero", "Kreditfakturans nummer",
     "Credit note number"},
    {Label::draft_number, "draft_number", "&ndash; (luonnos)", "&ndash; (utkast)", "&ndash; (draft)"},
    {Label::issue_date, "issue_date", "Laskun päivä", "Fakturadatum", "Issue date"},
    {Label::due_date, "due_date", "Eräpäivä", "Förfallodag", "Due date"},
    {Label::billing_period, "billing_period", "Laskutuskausi", "Faktureringsperiod", "Billing period"},
    {Label::buyer_reference, "buyer_reference", "Ostajan viite", "Köparens referens", "Buyer reference"},
    {Label::agreement, "agreement", "Sopimus", "Avtal", "Agreement"},
    {Label::version_prefix, "version_prefix", "versio ", "version ", "v"},
    {Label::payment_terms, "payment_terms", "Maksuehto", "Betalningsvillkor", "Payment terms"},
    {Label::days_net, "days_net", "päivää netto", "dagar netto", "days net"},
    {Label::credits_invoice, "credits_invoice", "Hyvitettävä lasku", "Krediterad faktura", "Credits invoice"},
    {Label::replaces_invoice, "replaces_invoice", "Korvaa laskun", "Ersätter fakturan", "Replaces invoice"},
    {Label::account_manager, "account_manager", "Asiakkuusvastaava", "Kundansvarig", "Account manager"},
    {Label::reason, "reason", "Syy", "Orsak", "Reason"},
    {Label::col_description, "col_description", "Kuvaus", "Beskrivning", "Description"},
    {Label::col_quantity, "col_quantity", "Määrä", "Antal", "Quantity"},
    {Label::col_unit_price, "col_unit_price", "Yksikköhinta", "Á-pris", "Unit price"},
    {Label::col_vat, "col_vat", "ALV", "Moms", "VAT"},
    {Label::col_amount, "col_amount", "Summa (EUR)", "Belopp (EUR)", "Amount (EUR)"},
    {Label::subtotal, "subtotal", "Välisumma", "Delsumma", "Subtotal"},
    {Label::corrections, "corrections", "Aiempien laskujen oikaisut", "Rättelser av tidigare fakturor",
     "Corrections of earlier invoices"},
    {Label::settlement, "settlement", "Kustannusvastaavuuden tasaus", "Utjämning av kostnadsmotsvarighet",
     "Cost-covering settlement"},
    {Label::fees_and_charges, "fees_and_charges", "Maksut ja veloitukset", "Avgifter och debiteringar",
     "Fees and charges"},
    {Label::exceptions_applied, "exceptions_applied", "Sovelletut sopimuspoikkeukset", "Tillämpade avtalsundantag",
     "Agreement exceptions applied"},
    {Label::vat, "vat", "ALV", "Moms", "VAT"},
    {Label::vat_note_o, "vat_note_o",
     "Valtion virastojen väliset palvelut eivät ole arvonlisäverollisia "
     "(EN 16931 -luokka O).",
     "Tjänster mellan statliga myndigheter är inte föremål för mervärdesskatt "
     "(EN 16931 kategori O).",
     "Services between state agencies are not subject to VAT (EN 16931 category O)."},
    {Label::vat_category_o, "vat_category_o", "Ei arvonlisäveron alainen (O)", "Inte föremål för moms (O)",
     "Not subject to VAT (O)"},
    {Label::vat_category_e, "vat_category_e", "Arvonlisäverosta vapautettu (E)", "Momsfri (E)", "VAT exempt (E)"},
    {Label::vat_category_z, "vat_category_z", "Nollaverokanta (Z)", "Nollskattesats (Z)", "Zero rated (Z)"},
    {Label::vat_category_ae, "vat_category_ae", "Käännetty verovelvollisuus (AE)", "Omvänd skattskyldighet (AE)",
     "Reverse charge (AE)"},
    {Label::net_suffix, "net_suffix", "veroton", "exkl. moms", "net"},
    {Label::total_net, "total_net", "Veroton yhteensä", "Totalt exkl. moms", "Total net"},
    {Label::total_vat, "total_vat", "ALV yhteensä", "Moms totalt", "Total VAT"},
    {Label::total_to_pay, "total_to_pay", "Maksettava yhteensä (EUR)", "Att betala totalt (EUR)", "Total to pay (EUR)"},
    {Label::total_credited, "total_credited", "Hyvitetään yhteensä (EUR)", "Krediteras totalt (EUR)",
     "Total credited (EUR)"},
    {Label::payee, "payee", "Saaja", "Mottagare", "Payee"},
    {Label::iban, "iban", "Saajan tilinumero (IBAN)", "Mottagarens kontonummer (IBAN)", "IBAN"},
    {Label::bic, "bic", "BIC", "BIC", "BIC"},
    {Label::reference_number, "reference_number", "Viitenumero", "Referensnummer", "Reference number"},
    {Label::rf_reference, "rf_reference", "RF-viite", "RF-referens", "RF reference"},
    {Label::reference_at_finalisation, "reference_at_finalisation", "(annetaan vahvistettaessa)",
     "(ges vid fastställandet)", "(given at finalisation)"},
    {Label::amount, "amount", "Euro", "Euro", "Amount"},
    {Label::barcode, "barcode", "Virtuaaliviivakoodi", "Virtuell streckkod", "Virtual bank barcode"},
    {Label::einvoice, "einvoice", "Verkkolasku", "E-faktura", "E-invoice"},
    {Label::corrects_invoice, "corrects_invoice", "oikaisee laskua", "rättar fakturan", "corrects invoice"},
    {Label::exemption_reason, "exemption_reason", "Verottomuuden peruste", "Grund för skattefrihet",
     "VAT exemption reason"},
    {Label::currency_suffix, "currency_suffix", "EUR", "EUR", "EUR"},
    {Label::period_invoiced, "period_invoiced", "Lasku kaudelta", "Faktura för perioden", "Invoice for the period"},
    {Label::credit_transfer, "credit_transfer", "Tilisiirto", "Kontoöverföring", "Credit transfer"},
    {Label::nothing_to_pay, "nothing_to_pay", "Hyvityslasku: ei maksettavaa", "Kreditfaktura: inget att betala",
     "Credit note: nothing to pay"},
};
static_assert(std::size(kRows) == kLabelCount, "every Label has its row");

const Row& row_of(Label which) {
  const auto index = static_cast<std::size_t>(which);
  if (index >= kLabelCount || kRows[index].which != which) {
    throw InvariantError("labels: the row of label " + std::to_string(index) + " is out of order");
  }
  return kRows[index];
}

struct UnitRow {
  std::string_view unit, fi, sv, en;
};

constexpr UnitRow kUnits[] = {
    {"invoice", "lasku", "faktura", "invoice"},
    {"payment", "maksu", "betalning", "payment"},
    {"voucher", "tosite", "verifikat", "voucher"},
    {"asset-month", "hyödykekuukausi", "tillgångsmånad", "asset-month"},
    {"payslip", "palkkalaskelma", "lönespecifikation", "payslip"},
    {"claim", "matkalasku", "reseräkning", "claim"},
    {"document", "asiakirja", "dokument", "document"},
    {"participant-day", "osallistujapäivä", "deltagardag", "participant-day"},
    {"month", "kk", "mån.", "month"},
    {"day", "pv", "dag", "day"},
    {"hour", "h", "tim.", "hour"},
};

}  // namespace

std::string_view unit_label(std::string_view unit, Language language) {
  for (const auto& row : kUnits) {
    if (row.unit != unit) continue;
    switch (language) {
      case Language::fi:
        return row.fi;
      case Language::sv:
        return row.sv;
      case Language::en:
        return row.en;
    }
  }
  return unit;
}

std::vector<std::string_view> known_units() {
  std::vector<std::string_view> out;
  for (const auto& row : kUnits) out.push_back(row.unit);
  return out;
}

std::string_view label(Label which, Language language) {
  const Row& row = row_of(which);
  switch (language) {
    case Language::fi:
      return row.fi;
    case Language::sv:
      return row.sv;
    case Language::en:
      break;
  }
  return row.en;
}

std::array<Label, kLabelCount> all_labels() {
  std::array<Label, kLabelCount> out{};
  for (std::size_t i = 0; i < kLabelCount; ++i) out[i] = static_cast<Label>(i);
  return out;
}

std::string_view label_name(Label which) { return row_of(which).name; }

}  // namespace costcover::render
