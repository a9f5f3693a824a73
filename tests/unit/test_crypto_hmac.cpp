#include <crm/base/hex.hpp>
#include <crm/crypto/hmac.hpp>

#include <catch2/catch.hpp>

#include <string>

using crm::to_hex;
using crm::crypto::Digest;
using crm::crypto::hmac;

namespace {
const std::string k_jefe_message = "what do ya want for nothing?";
const std::string k_large_key_message = "Test Using Larger Than Block-Size Key - Hash Key First";
}  // namespace

TEST_CASE("hmac SHA-1 matches the RFC 2202 test cases", "[crypto]")
{
  CHECK(to_hex(hmac(Digest::sha1, std::string(20, '\x0b'), "Hi There")) == "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(to_hex(hmac(Digest::sha1, "Jefe", k_jefe_message)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(to_hex(hmac(Digest::sha1, std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
  CHECK(to_hex(hmac(Digest::sha1, std::string(80, '\xaa'), k_large_key_message)) ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("hmac SHA-256 matches the RFC 4231 test cases", "[crypto]")
{
  CHECK(to_hex(hmac(Digest::sha256, std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(to_hex(hmac(Digest::sha256, "Jefe", k_jefe_message)) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(to_hex(hmac(Digest::sha256, std::string(20, '\xaa'), std::string(50, '\xdd'))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  CHECK(to_hex(hmac(Digest::sha256, std::string(131, '\xaa'), k_large_key_message)) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("hmac accepts an empty key and an empty message", "[crypto]")
{
  CHECK(hmac(Digest::sha1, "", "").size() == 20);
  CHECK(hmac(Digest::sha256, "", "").size() == 32);
  CHECK(hmac(Digest::sha256, "", "") != hmac(Digest::sha256, "k", ""));
}

TEST_CASE("constant_time_equal is true only for equal bytes of equal length", "[crypto]")
{
  CHECK(crm::crypto::constant_time_equal("", ""));
  CHECK(crm::crypto::constant_time_equal("123456", "123456"));
  CHECK_FALSE(crm::crypto::constant_time_equal("123456", "123457"));
  CHECK_FALSE(crm::crypto::constant_time_equal("123456", "12345"));
  CHECK_FALSE(crm::crypto::constant_time_equal("", "1"));
  CHECK_FALSE(crm::crypto::constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}
