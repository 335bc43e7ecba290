import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A decision form: heading (focused when it opens), problem summary, fields, submit. */
export function FormShell(props: {
  title: string;
  formError: string | null;
  pending: boolean;
  submitLabel?: string;
  onSubmit(): void;
  onCancel?(): void;
  children?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${props.testId}-title`}>
      <form
        noValidate
        data-testid={props.testId}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <Stack>
          <Title order={3} ref={heading} tabIndex={-1} id={`${props.testId}-title`}>
            {props.title}
          </Title>
          {props.formError && (
            <Alert color="red" role="alert" data-testid="form-error">
              {props.formError}
            </Alert>
          )}
          {props.children}
          <Group>
            <Button type="submit" loading={props.pending}>
              {props.submitLabel ?? t('decision.submit')}
            </Button>
            {props.onCancel && (
              <Button variant="default" onClick={props.onCancel}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
