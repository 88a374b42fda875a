package org.jobmon.engine.bind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The hashes are stored: a node, a workflow's args and a template version are found again by them
 * on resume, so a change in how they are computed would make every stored workflow unresumable.
 * These digests were computed by the first release of the encoding.
 */
class IdentityHashTest {
    @Test
    void storedDigestsStayTheSame() {
        Map<String, String> unsorted = new LinkedHashMap<>();
        unsorted.put("sex_id", "2");
        unsorted.put("location_id", "17");
        assertThat(IdentityHash.of("node").add(unsorted).hex()).isEqualTo("ce181f7d11d33d383c3bcfaae2b2c6d01b344461a15bcde7e1aeff1c8b7bba8f");
        assertThat(IdentityHash.of("task_args").add(Map.of()).hex()).isEqualTo("570dc9d59efc34789ca089cb1449f70f71f1a20b83eed3439c88559a203f95fc");
        assertThat(IdentityHash.of("node").add(Map.of("i", "1")).hex()).isEqualTo("4a495eabbbb97133211b33b1c0e5f2ef4f3cbdbc2e78a3716614118d1e92c35e");
        assertThat(IdentityHash.of("dag").addAll(List.of("a", "bc")).add(42L).hex())
                .isEqualTo("aae376cff9c54c76cb853993d7ab99a17e5c8d964fa005b8d718388b79fe5ddf");
    }

    @Test
    void theOrderOfAMapsEntriesDoesNotMatterButTheSplitOfValuesDoes() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(IdentityHash.of("node").add(ab).hex()).isEqualTo(IdentityHash.of("node").add(ba).hex());
        assertThat(IdentityHash.of("x").add("1").add("23").hex()).isNotEqualTo(IdentityHash.of("x").add("12").add("3").hex());
        assertThat(IdentityHash.of("node").add(ab).hex()).isNotEqualTo(IdentityHash.of("task_args").add(ab).hex());
    }
}
