/**
 * What the schedule setting does, under its field. "Weekly" is not a day of the week: the
 * trigger fires about once a day (at a time Forge sets when the app is installed), and a
 * weekly run starts when the last good analysis of every project is a week old, whoever
 * started it. Retention runs on the same trigger, whatever the schedule, Off included.
 */
import type { Settings } from '../../src/shared/contract';

export function scheduleHelp(schedule: Settings['schedule']): string {
  switch (schedule) {
    case 'daily':
      return "Once a day, at a time Jira Cloud sets: the issues changed since the last analysis, and every issue once a week. An analysis of all projects already under way counts as the day's; while a project's own is under way, none starts until the next day.";
    case 'weekly':
      return 'Not on a set weekday: once the last complete analysis of all projects (yours included) is a week old, at a time Jira Cloud sets. One that fails is tried again the next day.';
    case 'off':
      return 'No analysis starts by itself. History is still deleted once a day after the days below.';
  }
}

/** What "Keep history for" deletes (README, "Data: what the app stores"), and what it keeps. */
export const RETENTION_HELP =
  '7 to 3650. Older analyses (the last good one kept), history entries, and suggestions no longer found that nobody decided are deleted once a day. Decisions are kept.';
