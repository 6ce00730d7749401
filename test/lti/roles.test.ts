import { describe, expect, it } from 'vitest';
import { mapRoles } from '../../src/lti/roles.js';

const V2 = 'http://purl.imsglobal.org/vocab/lis/v2';

describe('mapRoles', () => {
  it.each([
    [[`${V2}/membership#Instructor`], 'teacher'],
    [[`${V2}/membership/Instructor#TeachingAssistant`], 'teacher'],
    [[`${V2}/membership#ContentDeveloper`], 'teacher'],
    [[`${V2}/membership#Administrator`], 'teacher'],
    [[`${V2}/institution/person#Administrator`], 'teacher'],
    [[`${V2}/system/person#Administrator`], 'teacher'],
    [['Instructor'], 'teacher'],
    [['TeachingAssistant'], 'teacher'],
    [['urn:lti:role:ims/lis/Instructor'], 'teacher'],
    [[`${V2}/institution/person#Student`, `${V2}/membership#Instructor`], 'teacher'],
    [[`${V2}/membership/ContentDeveloper#ContentExpert`], 'teacher'],
    [['urn:lti:role:ims/lis/Instructor/TeachingAssistant'], 'teacher'],
    [['urn:lti:instrole:ims/lis/Administrator'], 'teacher'],
  ])('makes %j a teacher', (roles, expected) => {
    expect(mapRoles(roles)).toEqual({ role: expected, restricted: false });
  });

  it.each([
    [[`${V2}/membership#Learner`]],
    [['Learner']],
    [[`${V2}/institution/person#Student`]],
    [[`${V2}/membership/Learner#ExternalLearner`]],
    // In the LIS vocabulary a sub-role is a kind of its principal role: this is a learner.
    [[`${V2}/membership#Learner`, `${V2}/membership/Learner#Instructor`]],
    [[`${V2}/membership/Learner#Instructor`]],
    [[`${V2}/institution/person#Student`, `${V2}/institution/person#Instructor`]],
  ])('makes %j a student', (roles) => {
    expect(mapRoles(roles)).toEqual({ role: 'student', restricted: false });
  });

  it.each([
    [[`${V2}/membership#Mentor`]],
    [[`${V2}/membership/Mentor#Advisor`]],
    [['http://example.org/roles#Wizard']],
    [[]],
    [undefined],
    ['not-an-array'],
    [[42, null]],
    [[`${V2}/institution/person#Guest`]],
    // Teaching somewhere in the school is not teaching this course.
    [[`${V2}/institution/person#Instructor`]],
    [[`${V2}/institution/person#Faculty`]],
    [['http://example.org/roles#Instructor']],
  ])('makes %j a restricted student, never a teacher', (roles) => {
    expect(mapRoles(roles)).toEqual({ role: 'student', restricted: true });
  });
});
