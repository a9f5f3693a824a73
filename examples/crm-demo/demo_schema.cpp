#include "demo_schema.hpp"

#include <algorithm>
#include <string_view>

namespace crm::demo {

namespace {

using store::Property;
using store::PropertyType;
using store::Sensitivity;

Property make(std::string name, std::string label, PropertyType type, std::vector<std::string> options = {},
              bool is_read_only = false, Sensitivity sensitivity = Sensitivity::non_sensitive)
{
  return Property{std::move(name), std::move(label), type, std::move(options), is_read_only, sensitivity};
}

Property text(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::string);
}
Property number(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::number);
}
Property date(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::date);
}
Property datetime(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::datetime);
}
Property boolean(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::boolean);
}
Property phone(std::string name, std::string label)
{
  return make(std::move(name), std::move(label), PropertyType::phone_number);
}
Property choice(std::string name, std::string label, std::vector<std::string> options)
{
  return make(std::move(name), std::move(label), PropertyType::enumeration, std::move(options));
}
Property read_only(Property property)
{
  property.is_read_only = true;
  return property;
}
Property sensitive(Property property, Sensitivity sensitivity = Sensitivity::sensitive)
{
  property.sensitivity = sensitivity;
  return property;
}
Property highly_sensitive(Property property) { return sensitive(std::move(property), Sensitivity::highly_sensitive); }

const std::vector<std::string> k_lifecycle{"subscriber",         "lead",        "marketingqualifiedlead",
                                           "salesqualifiedlead", "opportunity", "customer",
                                           "evangelist",         "other"};
const std::vector<std::string> k_industries{
    "COMPUTER_SOFTWARE",    "RETAIL",      "HOSPITALITY", "BANKING", "HEALTH_WELLNESS_AND_FITNESS",
    "EDUCATION_MANAGEMENT", "CONSTRUCTION"};
const std::vector<std::string> k_deal_stages{"appointmentscheduled",
                                             "qualifiedtobuy",
                                             "presentationscheduled",
                                             "decisionmakerboughtin",
                                             "contractsent",
                                             "closedwon",
                                             "closedlost"};
constexpr std::string_view k_multi_select[] = {"hs_buying_role",     "interests",          "company_tags", "deal_tags",
                                               "hs_ticket_category", "product_categories", "tricks"};

store::ObjectType object(std::string name, std::string id, std::string singular, std::vector<Property> properties,
                         bool is_restorable = true)
{
  return store::ObjectType{std::move(name), std::move(id), std::move(singular), is_restorable, std::move(properties)};
}

}  // namespace

bool is_multi_select(const store::Property& property)
{
  return std::find(std::begin(k_multi_select), std::end(k_multi_select), property.name) != std::end(k_multi_select);
}

std::vector<DemoObject> demo_objects(std::int64_t contacts)
{
  std::vector<DemoObject> objects;
  objects.push_back(
      {object(
           "contacts", "0-1", "Contact",
           {text("firstname", "First Name"),
            text("lastname", "Last Name"),
            text("email", "Email"),
            phone("phone", "Phone Number"),
            sensitive(phone("mobilephone", "Mobile Phone Number")),
            text("company", "Company Name"),
            text("jobtitle", "Job Title"),
            text("website", "Website URL"),
            text("address", "Street Address"),
            text("city", "City"),
            text("state", "State/Region"),
            text("zip", "Postal Code"),
            text("country", "Country/Region"),
            choice("lifecyclestage", "Lifecycle Stage", k_lifecycle),
            choice("hs_lead_status", "Lead Status",
                   {"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT", "CONNECTED",
                    "BAD_TIMING"}),
            choice("hs_buying_role", "Buying Role",
                   {"BUDGET_HOLDER", "CHAMPION", "DECISION_MAKER", "END_USER", "INFLUENCER", "LEGAL_AND_COMPLIANCE"}),
            choice("interests", "Interests", {"sports", "music", "travel", "food", "technology", "art"}),
            choice("industry", "Industry", k_industries),
            choice("hs_language", "Preferred language", {"en", "de", "fr", "ja", "pt-br", "es"}),
            number("hubspot_owner_id", "Contact owner"),
            number("annualrevenue", "Annual Revenue"),
            number("numemployees", "Number of Employees"),
            highly_sensitive(date("date_of_birth", "Date of birth")),
            highly_sensitive(text("health_notes", "Health notes")),
            sensitive(choice("marital_status", "Marital Status", {"single", "married", "divorced", "widowed"})),
            text("message", "Message"),
            boolean("hs_email_optout", "Unsubscribed from all email"),
            boolean("is_vip", "VIP"),
            date("became_customer_date", "Became a Customer Date"),
            datetime("notes_last_contacted", "Last Contacted"),
            datetime("recent_conversion_date", "Recent Conversion Date"),
            text("first_conversion_event_name", "First Conversion"),
            text("twitterhandle", "Twitter Username"),
            phone("fax", "Fax Number"),
            read_only(datetime("createdate", "Create Date")),
            read_only(datetime("lastmodifieddate", "Last Modified Date")),
            read_only(number("num_associated_deals", "Number of Associated Deals")),
            read_only(number("hs_analytics_num_visits", "Number of Sessions")),
            read_only(choice("hs_analytics_source", "Original Source",
                             {"ORGANIC_SEARCH", "PAID_SEARCH", "EMAIL_MARKETING", "SOCIAL_MEDIA", "REFERRALS",
                              "DIRECT_TRAFFIC", "OFFLINE"})),
            read_only(number("total_revenue", "Total Revenue"))}),
       contacts});
  objects.push_back(
      {object("companies", "0-2", "Company",
              {text("name", "Company name"), text("domain", "Company Domain Name"),
               choice("industry", "Industry", k_industries), phone("phone", "Phone Number"), text("city", "City"),
               text("country", "Country/Region"), number("numberofemployees", "Number of Employees"),
               number("annualrevenue", "Annual Revenue"), text("description", "Description"),
               number("founded_year", "Year Founded"), boolean("is_public", "Is Public"),
               choice("type", "Type", {"PROSPECT", "PARTNER", "RESELLER", "VENDOR", "OTHER"}),
               choice("lifecyclestage", "Lifecycle Stage", k_lifecycle),
               choice("company_tags", "Tags", {"strategic", "at_risk", "expansion", "reference", "churned"}),
               number("hubspot_owner_id", "Company owner"), read_only(datetime("createdate", "Create Date")),
               read_only(number("num_associated_contacts", "Number of Associated Contacts")),
               read_only(number("num_associated_deals", "Number of Associated Deals"))}),
       std::max<std::int64_t>(contacts / 5, 1)});
  objects.push_back(
      {object(
           "deals", "0-3", "Deal",
           {text("dealname", "Deal Name"), number("amount", "Amount"), choice("dealstage", "Deal Stage", k_deal_stages),
            choice("pipeline", "Pipeline", {"default", "renewals"}), datetime("closedate", "Close Date"),
            choice("dealtype", "Deal Type", {"newbusiness", "existingbusiness"}),
            choice("hs_priority", "Priority", {"low", "medium", "high"}),
            choice("deal_tags", "Tags", {"upsell", "multi_year", "discounted", "pilot"}),
            number("hubspot_owner_id", "Deal owner"), text("description", "Deal Description"),
            sensitive(text("competitor_notes", "Competitor notes")), boolean("discount_approved", "Discount approved"),
            date("contract_start", "Contract start"), read_only(datetime("createdate", "Create Date")),
            read_only(boolean("hs_is_closed", "Is Deal Closed?")), read_only(number("days_to_close", "Days to close")),
            read_only(number("num_associated_contacts", "Number of Associated Contacts"))}),
       std::max<std::int64_t>(contacts / 3, 1)});
  objects.push_back(
      {object("tickets", "0-5", "Ticket",
              {text("subject", "Ticket name"), text("content", "Ticket description"),
               choice("hs_pipeline_stage", "Ticket status", {"1", "2", "3", "4"}),
               choice("hs_ticket_priority", "Priority", {"LOW", "MEDIUM", "HIGH", "URGENT"}),
               choice("hs_ticket_category", "Category",
                      {"PRODUCT_ISSUE", "BILLING_ISSUE", "FEATURE_REQUEST", "GENERAL_INQUIRY"}),
               datetime("closed_date", "Close date"), sensitive(phone("customer_phone", "Customer phone")),
               read_only(datetime("createdate", "Create date"))}),
       0});
  objects.push_back(
      {object("products", "0-7", "Product",
              {text("name", "Name"), text("description", "Description"), number("price", "Unit price"),
               text("hs_sku", "SKU"), number("hs_cost_of_goods_sold", "Unit cost"),
               choice("hs_recurring_billing_period", "Term", {"P1M", "P3M", "P12M", "P24M"}),
               choice("product_categories", "Categories", {"hardware", "software", "service", "training"}),
               boolean("is_active", "Active"), date("launch_date", "Launch date"),
               read_only(datetime("createdate", "Create Date"))}),
       std::max<std::int64_t>(contacts / 100, 20)});
  objects.push_back(
      {object(
           "tasks", "0-27", "Task",
           {text("hs_task_subject", "Task Title"), text("hs_task_body", "Notes"),
            choice("hs_task_status", "Task Status", {"NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"}),
            choice("hs_task_priority", "Priority", {"NONE", "LOW", "MEDIUM", "HIGH"}),
            choice("hs_task_type", "Task Type", {"CALL", "EMAIL", "TODO"}), datetime("hs_timestamp", "Due date"),
            date("hs_task_reminder_date", "Reminder date"), read_only(boolean("hs_task_is_overdue", "Is Overdue")),
            read_only(datetime("hs_createdate", "Create Date"))}),
       std::max<std::int64_t>(contacts / 4, 1)});
  objects.push_back({object("calls", "0-48", "Call",
                            {text("hs_call_title", "Call Title"), text("hs_call_body", "Call notes"),
                             number("hs_call_duration", "Call duration (ms)"),
                             choice("hs_call_direction", "Call direction", {"INBOUND", "OUTBOUND"}),
                             choice("hs_call_disposition", "Call outcome",
                                    {"connected", "busy", "no_answer", "left_voicemail", "wrong_number"}),
                             datetime("hs_timestamp", "Activity date"), phone("hs_call_to_number", "To Number"),
                             phone("hs_call_from_number", "From Number"),
                             highly_sensitive(text("hs_call_recording_url", "Recording URL")),
                             read_only(datetime("hs_createdate", "Create Date"))}),
                     std::max<std::int64_t>(contacts / 4, 1)});
  objects.push_back({object("conversations", "conversations", "Conversation",
                            {text("subject", "Subject"), choice("status", "Status", {"OPEN", "CLOSED"}),
                             choice("channel", "Channel", {"EMAIL", "CHAT", "FORM", "FACEBOOK_MESSENGER"}),
                             text("latest_message", "Latest message"), number("assigned_to", "Assigned to"),
                             boolean("is_spam", "Spam"), read_only(datetime("createdate", "Create date"))},
                            false),
                     std::max<std::int64_t>(contacts / 20, 1)});
  objects.push_back(
      {object("pets", "2-1", "Pet",
              {text("pet_name", "Pet name"), choice("species", "Species", {"dog", "cat", "bird", "rabbit", "other"}),
               text("breed", "Breed"), date("date_of_birth", "Date of birth"), number("weight_kg", "Weight (kg)"),
               boolean("is_vaccinated", "Vaccinated"), sensitive(phone("owner_phone", "Owner phone")),
               highly_sensitive(text("medical_notes", "Medical notes")),
               choice("tricks", "Tricks", {"sit", "roll_over", "fetch", "speak", "high_five"}),
               read_only(datetime("createdate", "Create date"))}),
       std::max<std::int64_t>(contacts / 50, 1)});
  return objects;
}

}  // namespace crm::demo
