package org.jobmon.cli.run;

import org.jobmon.executor.sge.SgeCell;

/** {@link BatchResumeContract} on the real Grid Engine cell. */
class SgeResumeIT extends BatchResumeContract {
    @Override
    String executor() {
        return "sge";
    }

    @Override
    void requireScheduler() {
        SgeCell.require();
    }

    @Override
    boolean inScheduler(String executorId) {
        String qstat = SgeCell.run("qstat", "-xml").stdout();
        String number = executorId.replaceAll("\\..*", "");
        if (executorId.contains(".")) {
            // the array's number may be listed for no other reason than a member of it: look for the member
            return qstat.contains("<JB_job_number>" + number + "<") && qstat.contains("<tasks>" + executorId.substring(executorId.indexOf('.') + 1) + "<");
        }
        return qstat.contains("<JB_job_number>" + number + "<");
    }
}
