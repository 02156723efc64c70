// phone: see phone.h. The one C++ file of the program: a shim over libphonenumber, so the rest stays C.
// It is compiled without util/banned.h (the C++ library headers would trip it) but keeps to it.
// Exceptions never leave it (the library does not throw for bad input; allocation failure would, and is
// caught), and nothing C++ crosses the interface.
#include "util/phone.h"

#include <phonenumbers/phonenumberutil.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

static std::string upper(const char *s)
{
    std::string r;
    for (; s && *s; s++)
        r += (char)toupper((unsigned char)*s);
    return r;
}

extern "C" int phone_e164(const char *text, const char *region, char *out, size_t n)
{
    if (n)
        *out = '\0';
    if (!text || !*text)
        return -1;
    try {
        const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
        std::string reg = region && *region ? upper(region) : std::string("ZZ"); // ZZ: unknown region
        PhoneNumber number;
        if (util->Parse(std::string(text), reg, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
            return -1;
        if (!util->IsPossibleNumber(number))
            return -1;
        std::string e164;
        util->Format(number, PhoneNumberUtil::E164, &e164);
        if (e164.size() + 1 > n)
            return -1;
        std::memcpy(out, e164.c_str(), e164.size() + 1);
        return 0;
    } catch (...) {
        if (n)
            *out = '\0';
        return -1;
    }
}

extern "C" int phone_region_of_calling_code(const char *digits, char *out, size_t n)
{
    if (n)
        *out = '\0';
    if (!digits || !*digits || std::strlen(digits) > 3 || std::strspn(digits, "0123456789") != std::strlen(digits))
        return -1;
    try {
        std::string region;
        PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode((int)std::strtol(digits, nullptr, 10), &region);
        if (region.empty() || region == "ZZ" || region.size() + 1 > n)
            return -1;
        std::memcpy(out, region.c_str(), region.size() + 1);
        return 0;
    } catch (...) {
        return -1;
    }
}

extern "C" int phone_region_known(const char *region)
{
    if (!region || std::strlen(region) != 2 || !isalpha((unsigned char)region[0]) ||
        !isalpha((unsigned char)region[1]))
        return 0;
    try {
        return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(upper(region)) != 0;
    } catch (...) {
        return 0;
    }
}
