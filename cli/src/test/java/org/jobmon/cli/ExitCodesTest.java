package org.jobmon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.JobmonException.ErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExitCodesTest {
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsConsistentlyWithItsType(ErrorCode code) {
        int exit = ExitCodes.of(new JobmonException(code, "x"));
        switch (code.type()) {
            case USER -> assertThat(exit).isIn(ExitCodes.FAILED, ExitCodes.USAGE);
            case EXTERNAL, INSUFFICIENT_RESOURCES -> assertThat(exit).isEqualTo(ExitCodes.FAILED);
            case INTERNAL -> assertThat(exit).isEqualTo(ExitCodes.INTERNAL);
        }
    }

    @Test
    void badInputIsTwoAndARefusalIsOne() {
        assertThat(ExitCodes.of(ErrorCode.INVALID_SPEC)).isEqualTo(2);
        assertThat(ExitCodes.of(ErrorCode.INVALID_DAG)).isEqualTo(2);
        assertThat(ExitCodes.of(ErrorCode.UNKNOWN_EXECUTOR)).isEqualTo(2);
        assertThat(ExitCodes.of(ErrorCode.WORKFLOW_ALREADY_COMPLETE)).isEqualTo(1);
        assertThat(ExitCodes.of(ErrorCode.WORKFLOW_ALREADY_EXISTS)).isEqualTo(1);
        assertThat(ExitCodes.of(ErrorCode.DATABASE)).isEqualTo(1);
        assertThat(ErrorType.values()).hasSize(4);
    }

    @Test
    void anythingElseIsABug() {
        assertThat(ExitCodes.of(new NullPointerException())).isEqualTo(3);
    }
}
