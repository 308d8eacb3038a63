import FatCrypto
import Testing

@Suite("Merlin transcripts")
struct MerlinTranscriptTests {
    // Expected challenges from gtank/merlin, merlin_test.go (TestSimpleTranscript,
    // TestComplexTranscript), which records the output of the merlin crate's own
    // `transcript::tests::equivalence_simple` and `equivalence_complex` (dalek-cryptography/merlin,
    // src/transcript.rs).

    @Test func theSimpleTranscriptGivesMerlinsChallenge() {
        var transcript = MerlinTranscript(label: "test protocol")
        transcript.append(Array("some data".utf8), label: "some label")
        #expect(
            transcript.challengeBytes(label: "challenge", count: 32).hexString
                == "d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615")
    }

    /// 32 rounds of 1 KiB messages: many STROBE blocks, and challenges fed back in.
    @Test func theComplexTranscriptGivesMerlinsChallenge() {
        var transcript = MerlinTranscript(label: "test protocol")
        transcript.append(Array("some data".utf8), label: "step1")
        let data = [UInt8](repeating: 99, count: 1024)
        var challenge: [UInt8] = []
        for _ in 0 ..< 32 {
            challenge = transcript.challengeBytes(label: "challenge", count: 32)
            transcript.append(data, label: "bigdata")
            transcript.append(challenge, label: "challengedata")
        }
        #expect(challenge.hexString == "a8c933f54fae76e3f9bea93648c1308e7dfa2152dd51674ff3ca438351cf003c")
    }

    @Test func aCopyForksTheTranscript() {
        var original = MerlinTranscript(label: "fork")
        original.append([1, 2, 3], label: "m")
        var copy = original
        let fromOriginal = original.challengeBytes(label: "c", count: 16)
        #expect(copy.challengeBytes(label: "c", count: 16) == fromOriginal)
        original.append([4], label: "m")
        copy.append([5], label: "m")
        #expect(original.challengeBytes(label: "c", count: 16) != copy.challengeBytes(label: "c", count: 16))
    }
}
