#!/usr/bin/env python3
"""bench/hubspot_contacts.py ROWS [SEED] > contacts.csv

A HubSpot-shaped contact export for the import benchmark: the columns HubSpot's contact export writes
(Record ID first, so Rapport recognises the preset), ROWS contacts, the same file for the same ROWS and
SEED. Shaped like a real CRM's people:
- about one company per 8 contacts, unevenly (a few large accounts, many small ones), a company's name
  now and then in other letter case ("ACME LTD" is Acme Ltd) or with a comma (quoted in the CSV);
- about 1 in 10 contacts without a company (each becomes a client of their own, by name);
- phones in mixed formats (+1 (415) 555-0123, 415.555.0123, +44 20 7946 0001, 0044 ..., 020 ...,
  with an extension), some empty, a few that are no number ("ask for reception": kept in the notes);
- some emails missing and about 1 in 100 a duplicate of an earlier contact's;
- names with accents, owners, lifecycle stages, dates, cities and countries (columns Rapport has no
  field for: they are kept in a note on each contact).
Only the standard library: the bench runs it on a fresh machine.
"""
import csv
import random
import sys

COLUMNS = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title",
           "Lifecycle Stage", "Contact owner", "Create Date", "Last Activity Date", "City", "Country"]

FIRST = ("Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances Edsger Radia Tim Hedy Claude Katherine "
         "Donald Sophie John Mary Olga Wei Priya Aisha Mateo Lucía José Zoë Chloé Søren Łukasz Björn Ayşe "
         "Noah Emma Liam Olivia Lucas Mia Leon Hannah Ahmed Fatima Kenji Yuki Ravi Ananya Pedro Ana Ivan "
         "Elena Omar Leila Tomás Inés Jakub Zofia Mikko Aino Sean Niamh Kwame Ama Chen Mei Arjun Kavya").split()
LAST = ("Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Perlman Berners-Lee "
        "Lamarr Shannon Johnson Knuth Wilson Smith Jones Brown García Müller Rossi Dubois Kowalski Nowak "
        "Andersson Nielsen Yılmaz Tanaka Suzuki Sato Kumar Sharma Patel Singh Chen Wang Li Zhang Kim Park "
        "Nguyen Silva Santos Costa Pereira Ivanova Petrov Hassan Ali Mensah Okafor O'Brien Murphy Kelly "
        "Walsh Virtanen Korhonen Novák Horváth Papadopoulos Costa Fernández López Martínez Schmidt Weber").split()
COMPANY_A = ("Blue Red Green North South East West Bright Silver Golden Quiet Swift Clear Open First Prime "
             "Summit Harbor River Cedar Oak Pine Maple Stone Iron Copper Crystal Urban Coastal Alpine Metro "
             "Union Liberty Pioneer Heritage Evergreen Keystone Beacon Atlas Nova").split()
COMPANY_B = ("Analytics Logistics Dental Legal Design Media Foods Motors Energy Health Capital Partners "
             "Consulting Systems Software Labs Studio Architects Builders Bakery Brewing Farms Pharma "
             "Insurance Realty Travel Events Robotics Textiles Print Marine Aviation Security Solar "
             "Payments Learning Fitness Pets Gardens Optics").split()
COMPANY_SUFFIX = ["Ltd", "Inc", "LLC", "GmbH", "SARL", "BV", "Group", "& Co", "AB", "Oy"]
TITLES = ("CEO CTO CFO COO Founder Director Manager Engineer Designer Accountant Consultant Analyst "
          "Assistant Architect Lawyer Nurse Teacher Buyer Owner Partner").split() + \
         ["Head of Sales", "Office Manager", "VP Marketing", "Operations Lead", "Project Manager", ""]
STAGES = ["Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer",
          "Evangelist", "Other", ""]
OWNERS = ["Sam Carter", "Jo Baker", "Alex Reid", "Priya Nair", "Tom Becker", "Lena Vogel", "Marta Ruiz",
          "Chidi Obi", "Hana Mori", "Ole Berg", ""]
PLACES = [("London", "United Kingdom"), ("Manchester", "United Kingdom"), ("New York", "United States"),
          ("San Francisco", "United States"), ("Austin", "United States"), ("Berlin", "Germany"),
          ("Munich", "Germany"), ("Paris", "France"), ("Lyon", "France"), ("Madrid", "Spain"),
          ("Lisbon", "Portugal"), ("Amsterdam", "Netherlands"), ("Stockholm", "Sweden"), ("Helsinki", "Finland"),
          ("Warsaw", "Poland"), ("Dublin", "Ireland"), ("Toronto", "Canada"), ("Sydney", "Australia"),
          ("Tokyo", "Japan"), ("São Paulo", "Brazil"), ("", "")]
PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "gmx.de", "proton.me"]
NOT_A_NUMBER = ["ask for reception", "n/a", "see notes", "call via switchboard"]


ASCII = str.maketrans("áàâäãåçéèêëíìîïñóòôöõøúùûüýÿłšžőűşığ", "aaaaaaceeeeiiiinoooooouuuuyylszousig")


def ascii_part(s):
    """The letters of a name an email address can take: "Łukasz" → "lukasz", "O'Brien" → "obrien"."""
    return "".join(c for c in s.lower().translate(ASCII) if c.isascii() and (c.isalnum() or c in ".-"))


def company_name(i):
    a, rest = i % len(COMPANY_A), i // len(COMPANY_A)
    b, rest = rest % len(COMPANY_B), rest // len(COMPANY_B)
    s, rest = rest % len(COMPANY_SUFFIX), rest // len(COMPANY_SUFFIX)
    name = f"{COMPANY_A[a]} {COMPANY_B[b]}"
    if rest:
        name += f" {rest + 1}"  # beyond 16,000 companies: "Blue Analytics 2 Ltd"
    return f"{name} {COMPANY_SUFFIX[s]}"


def phone(r):
    n = r.random()
    area, mid, last = r.randint(201, 989), r.randint(200, 999), r.randint(0, 9999)
    if n < 0.15:
        return ""
    if n < 0.155:
        return r.choice(NOT_A_NUMBER)
    if n < 0.35:
        return f"+1 ({area}) {mid}-{last:04d}"
    if n < 0.50:
        return f"{area}.{mid}.{last:04d}"
    if n < 0.62:
        return f"+44 20 {mid + 7000} {last:04d}"
    if n < 0.70:
        return f"0044 20 {mid + 7000} {last:04d}"
    if n < 0.78:
        return f"020 {mid + 7000} {last:04d}"
    if n < 0.88:
        return f"+49 30 {mid}{last:04d}"
    if n < 0.95:
        return f"+33 1 {mid % 100:02d} {last // 100:02d} {last % 100:02d} {area % 100:02d}"
    return f"+1 {area} {mid} {last:04d} x{r.randint(10, 999)}"


def main():
    rows = int(sys.argv[1])
    r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    ncompanies = max(1, rows // 8)
    w = csv.writer(sys.stdout, lineterminator="\r\n")  # HubSpot's exports end lines with CRLF
    w.writerow(COLUMNS)
    emails = []
    for i in range(rows):
        first, last = r.choice(FIRST), r.choice(LAST)
        company = ""
        if r.random() >= 0.10:
            # a few large accounts, many small ones: the square of a uniform number favours low indexes
            k = int(ncompanies * r.random() ** 2)
            company = company_name(k)
            if k % 97 == 0:
                company = company.replace(" ", ", ", 1)  # "Blue, Analytics Ltd": a comma, so quoted
            v = r.random()
            if v < 0.02:
                company = company.upper()
            elif v < 0.03:
                company = company.lower()
        x = r.random()
        if x < 0.05:
            email = ""
        elif x < 0.06 and emails:
            email = r.choice(emails)  # the same person twice, or a shared inbox
        else:
            domain = ascii_part(company.split(" ")[0]).strip(",") + ".example" if company and x < 0.7 \
                else r.choice(PROVIDERS)
            email = f"{ascii_part(first)}.{ascii_part(last)}{i}@{domain}"
            if len(emails) < 100000:
                emails.append(email)
        created = f"20{r.randint(18, 25)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} " \
                  f"{r.randint(7, 19):02d}:{r.randint(0, 59):02d}"
        activity = "" if r.random() < 0.3 else f"2026-{r.randint(1, 10):02d}-{r.randint(1, 28):02d} " \
                                                  f"{r.randint(8, 18):02d}:{r.randint(0, 59):02d}"
        city, country = r.choice(PLACES)
        w.writerow([1000001 + i * 7, first, last, email, phone(r), company, r.choice(TITLES), r.choice(STAGES),
                    r.choice(OWNERS), created, activity, city, country])


if __name__ == "__main__":
    main()
